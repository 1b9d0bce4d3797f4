/* global rs, print, sleep */ // mongosh shell globals
// Run by the mongo-init service (mongosh --file): initiates replica set rs0 once, then waits until
// it has a primary so the Dajeong instances start against a writable database.
const members = [
  { _id: 0, host: 'mongo1:27017', priority: 2 },
  { _id: 1, host: 'mongo2:27017', priority: 1 },
  { _id: 2, host: 'mongo3:27017', priority: 1 },
];

try {
  rs.status();
  print('replica set rs0 already initiated');
} catch (err) {
  if (err.codeName !== 'NotYetInitialized') throw err;
  rs.initiate({ _id: 'rs0', members });
  print('replica set rs0 initiated');
}

for (let waited = 0; ; waited += 1) {
  const primary = rs.status().members.find((m) => m.stateStr === 'PRIMARY');
  if (primary) {
    print(`primary: ${primary.name}`);
    break;
  }
  if (waited >= 120) throw new Error('no primary after 120 s');
  sleep(1000);
}
