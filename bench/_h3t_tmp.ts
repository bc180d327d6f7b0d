import { latLngToCellHiLo, HI_LO, hiLoToString, verificationPoints } from '../src/grid/h3fast.ts';
import { latLngToCell } from 'h3-js';
const pts = verificationPoints(20000, 7);
let bad = 0, n = 0;
for (let p = 0; p < pts.length; p += 2) for (let res = 0; res <= 15; res++) {
  n++;
  latLngToCellHiLo(pts[p]!, pts[p+1]!, res);
  const got = hiLoToString(HI_LO[0]!, HI_LO[1]!); const want = latLngToCell(pts[p]!, pts[p+1]!, res);
  if (got !== want) { if (bad < 5) console.log(pts[p], pts[p+1], res, got, want); bad++; }
}
console.log('bad', bad, 'of', n);
{
const N = 2_000_000; const lat = new Float64Array(N), lng = new Float64Array(N);
for (let i = 0; i < N; i++) { lat[i] = 5 + Math.random()*20; lng[i] = 92 + Math.random()*18; }
for (const res of [7, 9]) {
let t = performance.now(); let s = 0;
for (let i = 0; i < N; i++) { latLngToCellHiLo(lat[i]!, lng[i]!, res); s += HI_LO[1]! & 1; }
const dt = performance.now() - t;
t = performance.now();
for (let i = 0; i < 200000; i++) { latLngToCell(lat[i]!, lng[i]!, res); }
const dt2 = performance.now() - t;
console.log(res, 'fast Mpts/s', (N/dt/1000).toFixed(2), 'h3js Mpts/s', (200000/dt2/1000).toFixed(2), s);
}
}
