// Reads a JUnit XML file the way CI dashboards do (junit2json) and prints what it understood as JSON, so
// that a test can compare it with the report. Usage: node junit-to-json.js FILE; exit 1 when unparseable.
'use strict';
const fs = require('fs');

(async () => {
  const { parse } = await import('junit2json');
  const xml = fs.readFileSync(process.argv[2], 'utf8');
  const parsed = await parse(xml);
  process.stdout.write(JSON.stringify(parsed, null, 2) + '\n');
})().catch((e) => {
  console.error(`junit2json: ${e.message}`);
  process.exit(1);
});
