/**
 * The library entry point of `@jcp/pipelines`: run a pipeline from code, or build one of your own from
 * the steps and definitions here (README, "Use it as a library").
 */
export { runPipeline, defaultRunOptions, localExecutor, type RunOptions, type RunSummary, type RunStats } from './run/run-pipeline.ts';
export { slurmExecutor } from './run/slurm-executor.ts';
export { DEFAULT_SLURM_CONFIG, type SlurmConfig } from './run/slurm-jobs.ts';
export type { Execution, Executor } from './run/executor.ts';
export { PIPELINES, pipelineNamed } from './definitions/index.ts';
export { CC_JA } from './definitions/cc-ja.ts';
export { WARP_JA } from './definitions/warp-ja.ts';
export { WEB_PAGE_STEPS } from './definitions/web-page-steps.ts';
export type { PipelineDefinition, RunContext } from './run-folder/context.ts';
export { steps, StepList, StepRunner, type Drop, type Size, type Step, type StepEnv, type StepEvents, type StepFactory, type StepItem } from './steps/step.ts';
export type { DecodedPage, DocOrigin, HtmlPage, PageText, ResponseRecord } from './steps/web-page/items.ts';
export { defineStage, type RunStage, type TaskTools } from './stages/stage.ts';
export { RUN_STAGES } from './stages/index.ts';
export { DEFAULT_WEB_PAGE_CHAIN_CONFIG, type WebPageChainConfig } from './chains/web-page-config.ts';
