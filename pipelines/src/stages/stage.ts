import type { LanguageDetector, LangIdConfig } from '@jcp/filters';
import type { TokenCounter, TokenCounterConfig } from '@jcp/stats';
import type { RunContext } from '../run-folder/context.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';

/**
 * What a task gets from where it runs (a worker thread, a Slurm array task): the costly things made
 * once per thread, and where its lines and progress go.
 */
export interface TaskTools {
  /** One per thread: cld3-asm's wasm heap aborts after ~1,300 creations (shared/PACKAGES.md). */
  languageDetector(config: LangIdConfig): Promise<LanguageDetector>;
  /** One per thread and config: loading the SentencePiece model takes 0.2-0.3 s. */
  tokenCounter(config: TokenCounterConfig): Promise<TokenCounter>;
  /** Bytes of its input read so far, for the progress line while a long task runs. */
  progress(bytesRead: number): void;
  log(line: string): void;
}

/**
 * A run stage: a set of tasks that read the run folder (and, for the first stage, the inputs) and
 * write only their own outputs, so its tasks run in any order, anywhere, and a failed one is simply
 * run again. A stage is one module exporting one of these; `stages/index.ts` lists them in order. The
 * runner (`runner.ts`), not the stage, writes the task markers, fingerprints the inputs and checks
 * the outputs: a stage's `run` returns its result and the files it wrote.
 */
export interface RunStage<Input = unknown, Result = unknown> {
  name: string;
  /** Whether this run has the stage at all (the index commit only with an index). */
  inRun?(ctx: RunContext): boolean;
  taskCount(ctx: RunContext): number;
  taskId(ctx: RunContext, index: number): string;
  /** Input size of task `index`, for progress; 0 when unknown. */
  inputBytes?(ctx: RunContext, index: number): Promise<number>;
  /** Task `index`'s input, built from the run folder where it runs (the stages before are done by then). */
  input(ctx: RunContext, index: number): Promise<Input>;
  /** Files or URLs outside the run folder the task reads: the runner records their fingerprints in its marker. */
  externalInputs?(input: Input): string[];
  run(input: Input, tools: TaskTools): Promise<TaskOutcome<Result>>;
}

/** A task of a stage with its input built, ready to run where it was built. */
export interface PreparedTask {
  externalInputs: string[];
  run(tools: TaskTools): Promise<TaskOutcome<unknown>>;
}

/** A stage with its input type sealed inside: what the stage list holds and the runner calls. */
export interface StageModule extends Pick<RunStage, 'name' | 'inRun' | 'taskCount' | 'taskId' | 'inputBytes'> {
  prepare(ctx: RunContext, index: number): Promise<PreparedTask>;
}

export function defineStage<Input, Result>(stage: RunStage<Input, Result>): StageModule {
  return {
    name: stage.name,
    ...(stage.inRun ? { inRun: stage.inRun } : {}),
    taskCount: stage.taskCount,
    taskId: stage.taskId,
    ...(stage.inputBytes ? { inputBytes: stage.inputBytes } : {}),
    prepare: async (ctx, index) => {
      const input = await stage.input(ctx, index);
      return { externalInputs: stage.externalInputs?.(input) ?? [], run: (tools) => stage.run(input, tools) };
    },
  };
}
