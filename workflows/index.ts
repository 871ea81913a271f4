// The workflow layer's public surface: the server imports from here, never from the files.
export * from './taxonomy.ts';
export * from './policy.ts';
export * from './calendar.ts';
export * from './actions.ts';
export * from './deadlines.ts';
export * from './events.ts';
export * from './context.ts';
export * from './guards.ts';
export * from './requirements.ts';
export * from './complaint-machine.ts';
export * from './engine.ts';
export * from './describe.ts';
