// `npm run bench`: every bench in one process, printing to stdout.
import { runDecodeBench } from './decode.js';

const print = (line: string): void => console.log(line);
runDecodeBench(print);
