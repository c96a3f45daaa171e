import { dispatch } from './dispatch.ts';

await dispatch('eval', process.argv.slice(2));
