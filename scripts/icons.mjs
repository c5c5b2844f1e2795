// `npm run icons`: the app's icon set from its one source, assets/icon.svg:
// assets/icons/NxN.png (Linux packages), assets/icon.png (1024),
// assets/icon.icns (macOS) and assets/icon.ico (Windows). The output is
// committed; test/shell/packaging.test.ts fails when it no longer matches the SVG.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

export function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

/** Every generated file, by path relative to the project. */
export function iconSet() {
  const svg = readFileSync(join(ROOT, 'assets', 'icon.svg'));
  const files = new Map();
  for (const size of PNG_SIZES) files.set(`assets/icons/${size}x${size}.png`, render(svg, size));
  const big = files.get('assets/icons/1024x1024.png');
  files.set('assets/icon.png', big);
  const icns = png2icons.createICNS(big, png2icons.BICUBIC, 0);
  const ico = png2icons.createICO(big, png2icons.BICUBIC, 0, true, true);
  if (!icns || !ico) throw new Error('png2icons could not make the icns/ico');
  files.set('assets/icon.icns', icns);
  files.set('assets/icon.ico', ico);
  return files;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  for (const [rel, bytes] of iconSet()) {
    mkdirSync(dirname(join(ROOT, rel)), { recursive: true });
    writeFileSync(join(ROOT, rel), bytes);
    console.log(`${rel} (${bytes.length} bytes)`);
  }
}
