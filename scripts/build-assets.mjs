// Copies the front-end files machi serves from their npm packages into assets/build/,
// which Django's staticfiles serves. Token values are never copied by hand.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

const out = "assets/build/vendor";
const files = [
  ["node_modules/@digital-go-jp/design-tokens/dist/tokens.css", "design-tokens/tokens.css"],
  ["node_modules/htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  // Leaflet draws the open data maps; its stylesheet finds the marker images in images/.
  // leaflet.js names its source map, and the production build (collectstatic with the
  // manifest storage) refuses a file that points at one it cannot find.
  ["node_modules/leaflet/dist/leaflet.js", "leaflet/leaflet.js"],
  ["node_modules/leaflet/dist/leaflet.js.map", "leaflet/leaflet.js.map"],
  ["node_modules/leaflet/dist/leaflet.css", "leaflet/leaflet.css"],
  ...["layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"].map(
    (name) => [`node_modules/leaflet/dist/images/${name}`, `leaflet/images/${name}`],
  ),
];
for (const [from, to] of files) {
  const target = join(out, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(from, target);
  console.log(`built ${target}`);
}
