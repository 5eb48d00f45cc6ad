// Runs before each integration test file.
process.env.TZ = 'UTC';
