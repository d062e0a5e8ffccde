// Preloaded with NODE_OPTIONS="--import=<this file>" by `npm run bench -- --cpu-prof`:
// Node refuses --cpu-prof in NODE_OPTIONS, so this starts V8's sampling profiler through
// the inspector and writes a .cpuprofile (open in Chrome DevTools → Performance, or
// speedscope) into BENCH_CPU_PROF_DIR when the process exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 });
  session.post("Profiler.start");
  // The in-process inspector answers synchronously, so this works inside "exit".
  process.on("exit", () => {
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      const name = `${path.basename(process.argv[1] ?? "node", path.extname(process.argv[1] ?? ""))}-${process.pid}.cpuprofile`;
      writeFileSync(path.join(dir, name), JSON.stringify(result.profile));
    });
  });
}
