import { inject } from 'vitest';
import { createScratchDatabase } from '../scratch-database.ts';

/** Creates an empty database for one test file on the test PostgreSQL server. */
export const createTestDatabase = () => createScratchDatabase(inject('adminDatabaseUrl'), 'madoguchi_t');
