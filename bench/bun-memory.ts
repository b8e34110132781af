// Keeps 32 MiB live, allocates 400 rounds of 8 MiB of garbage and prints the peak RSS in MiB.
// bench/bun.sh runs it with and without BUN_JSC_forceRAMSize and --smol.
const live: number[][] = [];
for (let i = 0; i < 32; i++) {
  live.push(new Array(131072).fill(i));
}
let peak = 0;
for (let round = 0; round < 400; round++) {
  const garbage: number[][] = [];
  for (let j = 0; j < 8; j++) {
    garbage.push(new Array(131072).fill(round));
  }
  peak = Math.max(peak, process.memoryUsage().rss);
}
console.log(`${Math.round(peak / 1048576)} live=${live.length}`);
