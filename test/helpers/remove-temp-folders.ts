// vitest setupFiles: registered before a test file's own hooks, so this afterAll runs after them (servers stopped).
import { afterAll } from 'vitest';
import { removeMadeFolders } from './temp-folders.js';

afterAll(removeMadeFolders);
