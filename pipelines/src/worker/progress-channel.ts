/** Workers post `{ taskId, bytes }` here while a task runs, so long tasks show progress before they end. */
export const PROGRESS_CHANNEL = 'jcp-task-progress';

export interface TaskProgress {
  taskId: string;
  bytes: number;
}
