// What the operator is told about an error: the seed's recoverable column
// (constants.ts RECOVERABLE_ERRORS) and a suggested action per code, used
// when the server's error leaves them out.
// Direction: a leaf.

import { RECOVERABLE_ERRORS } from '../protocol/index.js';

export const SUGGESTED_ACTIONS: Readonly<Record<string, string>> = {
  CONNECTION_FAILED: 'check_network',
  AUTH_FAILED: 'refresh_token',
  INVALID_MESSAGE: 'check_client_version',
  AGENT_NOT_FOUND: 'verify_agent_id',
  COMMAND_FAILED: 'check_command_parameters',
  RATE_LIMIT_EXCEEDED: 'slow_down',
  INTERNAL_ERROR: 'contact_control_plane_operator',
  INVALID_COMMAND: 'check_command_name',
  TIMEOUT: 'retry_later',
  CONNECTION_LOST: 'retry_command',
  MESSAGE_TOO_LARGE: 'check_server_message_size',
  TOKEN_COMMAND_FAILED: 'fix_token_command',
  TLS_VERIFICATION_FAILED: 'check_certificate_or_ca_file',
  VERSION_UNSUPPORTED: 'upgrade_client_or_server',
};

/** The seed's table; a code it does not list is recoverable unless the server said otherwise. */
export function isRecoverable(code: string, stated?: unknown): boolean {
  if (typeof stated === 'boolean') return stated;
  return RECOVERABLE_ERRORS[code] ?? true;
}

export function suggestedAction(code: string, stated?: unknown): string {
  if (typeof stated === 'string' && stated.length > 0) return stated;
  return SUGGESTED_ACTIONS[code] ?? 'see_message';
}
