// Renders the PWA icons from static/favicon.svg. Run once after changing the logo:
//   node scripts/make-icons.mjs
// (sharp comes with @vite-pwa/assets-generator; the PNGs are committed.)
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';

const svg = await readFile('static/favicon.svg');
const flat = (size) => sharp(svg, { density: 512 }).resize(size, size).png();
await flat(192).toFile('static/icons/icon-192.png');
await flat(512).toFile('static/icons/icon-512.png');
await flat(180).toFile('static/apple-touch-icon.png');
// Maskable icons need the artwork inside the central 80% safe zone on a full-bleed background.
const inner = await sharp(svg, { density: 512 }).resize(360, 360).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#1d4ed8' } })
	.composite([{ input: inner, top: 76, left: 76 }])
	.png()
	.toFile('static/icons/icon-maskable-512.png');
console.log('icons written');
