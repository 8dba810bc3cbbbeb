// What one row operation costs inside the pinned Azurite, as its table store keeps rows: a LokiJS collection per
// table with binary indices on PartitionKey and RowKey (Azurite's LokiTableMetadataStore). Prints, for tables of
// growing size, the time of an update and of a delete (each moves the row's entries in both indices) and of a point
// lookup among rows that share their RowKey (the index narrows by RowKey only, then scans). If these grow with the
// table, a workload with a fixed number of such operations per item grows with the square of the item count on the
// emulator, whatever the application does. Run after `npm ci` in infra/ (the test and benchmark commands do it):
//   node tests/Voucher.Benchmarks/azurite-row-cost.cjs
"use strict";
const path = require("path");
const Loki = require(path.join(__dirname, "..", "..", "infra", "node_modules", "lokijs"));

const sizes = [10000, 20000, 40000, 80000];
const operations = 2000;

function table(rows, sharedRowKey) {
  const db = new Loki("cost");
  const collection = db.addCollection("t", { indices: ["PartitionKey", "RowKey"] });
  for (let i = 0; i < rows; i++) {
    collection.insert({ PartitionKey: "p" + i, RowKey: sharedRowKey ? "profile" : "r" + i, properties: { n: i } });
  }
  return collection;
}

function microseconds(run) {
  const start = process.hrtime.bigint();
  for (let k = 0; k < operations; k++) {
    run(k);
  }
  return Number(process.hrtime.bigint() - start) / 1e3 / operations;
}

function measure(rows) {
  const pick = (k) => (k * 7919) % rows;
  const unique = table(rows, false);
  const update = microseconds((k) => {
    const doc = unique.findOne({ RowKey: "r" + pick(k), PartitionKey: "p" + pick(k) });
    doc.properties.n++;
    unique.update(doc);
  });
  const remove = microseconds((k) => {
    unique.remove(unique.findOne({ RowKey: "r" + pick(k), PartitionKey: "p" + pick(k) }));
    unique.insert({ PartitionKey: "p" + pick(k), RowKey: "r" + pick(k), properties: { n: 0 } });
  });
  const shared = table(rows, true);
  const lookup = microseconds((k) => shared.findOne({ RowKey: "profile", PartitionKey: "p" + pick(k) }));
  return { rows, update, remove, lookup };
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
measure(sizes[0]); // warm-up: the first round compiles
console.log("| rows in the table | update µs | delete + insert µs | point lookup among rows sharing the RowKey µs |");
console.log("|---:|---:|---:|---:|");
for (const rows of sizes) {
  const runs = [measure(rows), measure(rows), measure(rows)];
  const f = (key) => median(runs.map((r) => r[key])).toFixed(1);
  console.log(`| ${rows.toLocaleString("en-US")} | ${f("update")} | ${f("remove")} | ${f("lookup")} |`);
}
