// The panel rendered to HTML in Node (react-dom/server): the list shows groups,
// flags and the connected marker from its props alone.

import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { type Profile, ProfileSchema } from '@shared';
import { ProfilesPanel, type ProfilesPanelProps } from '../../../../renderer/src/panels/Profiles/ProfilesPanel.js';

vi.mock('./profiles.css', () => ({}));

const p = (over: Record<string, unknown>): Profile => ProfileSchema.parse({ url: 'wss://x.example:443', color: '#112233', ...over });

describe('ProfilesPanel', () => {
  it('lists profiles by group with their flags and which are connected', () => {
    const props: ProfilesPanelProps = {
      profiles: [p({ id: 'a', name: 'Prod', group: 'Ops', auth: { type: 'token', store: 'plaintext' } }), p({ id: 'b', name: 'Lab', tls: { insecureSkipVerify: true } })],
      secretStore: { store: null, label: 'none', reason: 'no Secret Service' },
      connected: new Set(['b']),
      onSave: vi.fn(),
      onDelete: vi.fn(),
      onRestore: vi.fn(),
      onPurge: vi.fn(),
      onConnect: vi.fn(),
      onTest: vi.fn(),
      onImport: vi.fn(),
    };
    const html = renderToStaticMarkup(createElement(ProfilesPanel, props));
    expect(html.indexOf('data-testid="profiles-group-Ops"')).toBeLessThan(html.indexOf('data-testid="profiles-group-Ungrouped"'));
    expect(html).toMatch(/data-testid="profile-row-a".*profile-flag-plaintext-token.*token in plain text/s);
    expect(html).toMatch(/data-testid="profile-row-b".*connected.*TLS not verified/s);
    expect(html).not.toMatch(/data-testid="profile-row-a"[^]*?connected[^]*?data-testid="profile-row-b"/);
  });
});
