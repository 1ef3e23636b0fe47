// Command ids in one place, so that package.json, registrations and tests agree (checked by a unit test).

export const Commands = {
  showTraces: 'escalate.showTraces',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
