import { dispatch } from './dispatch.ts';

await dispatch('bench', process.argv.slice(2));
