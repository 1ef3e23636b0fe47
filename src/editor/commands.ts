// Command ids in one place, so that package.json, registrations and tests agree (checked by a unit test).

export const Commands = {
  showTraces: 'escalate.showTraces',
  nextFrame: 'escalate.nextFrame',
  previousFrame: 'escalate.previousFrame',
  goToCrashSite: 'escalate.goToCrashSite',
  setRef: 'escalate.setRef',
  clearHighlights: 'escalate.clearHighlights',
  toggleHighlights: 'escalate.toggleHighlights',
  openTrace: 'escalate.openTrace',
  pasteTrace: 'escalate.pasteTrace',
  openTraceFromLog: 'escalate.openTraceFromLog',
  copyFrame: 'escalate.copyFrame',
  openFrameAtRef: 'escalate.openFrameAtRef',
  openWorkingCopy: 'escalate.openWorkingCopy',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
