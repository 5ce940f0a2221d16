// Mozilla Readability on jsdom over the same pages, for speed: parse and extract each page, print the count.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { JSDOM, VirtualConsole } from "jsdom";
import { Readability } from "@mozilla/readability";

const dir = process.argv[2];
const quiet = new VirtualConsole();
let pages = 0;
let chars = 0;
let failed = 0;
const t0 = performance.now();
for (const name of readdirSync(dir).sort()) {
  const file = join(dir, name, "source.html");
  if (!existsSync(file)) continue;
  pages += 1;
  try {
    const dom = new JSDOM(readFileSync(file, "utf8"), { url: "http://fakehost/test/page.html", virtualConsole: quiet });
    const article = new Readability(dom.window.document).parse();
    chars += article && article.textContent ? article.textContent.length : 0;
    dom.window.close();
  } catch {
    failed += 1;  // jsdom's CSS parser gives up on a few pages; the time spent still counts
  }
}
const s = (performance.now() - t0) / 1000;
console.log(`pages ${pages} failed ${failed} chars ${chars} seconds ${s.toFixed(3)} pages_per_s ${(pages / s).toFixed(1)}`);
