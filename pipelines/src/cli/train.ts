import { dispatch } from './dispatch.ts';

await dispatch('train', process.argv.slice(2));
