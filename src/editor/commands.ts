// Command ids in one place, so that package.json, registrations and tests agree (checked by a unit test).

export const Commands = {
  showTraces: 'escalate.showTraces',
  nextFrame: 'escalate.nextFrame',
  previousFrame: 'escalate.previousFrame',
  goToCrashSite: 'escalate.goToCrashSite',
  setRef: 'escalate.setRef',
  clearHighlights: 'escalate.clearHighlights',
  toggleHighlights: 'escalate.toggleHighlights',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
