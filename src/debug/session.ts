// The Debug Adapter Protocol session for replaying captured trace sessions. Replay itself arrives with the
// replay issue; until then the adapter answers the handshake and refuses to launch with a clear message.

import { DebugSession, InitializedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

export class EscalateDebugSession extends DebugSession {
  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    _args: DebugProtocol.InitializeRequestArguments,
  ): void {
    response.body = { ...response.body, supportsConfigurationDoneRequest: true };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse): void {
    this.sendErrorResponse(
      response,
      1,
      'Replaying captured sessions is not available in this version of Escalate.',
    );
  }
}
