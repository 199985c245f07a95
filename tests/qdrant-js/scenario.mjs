// A scripted scenario against `vectlite serve`, through the official Qdrant JS client (@qdrant/js-client-rest, pinned
// in package.json). Run by tests/VectLite.Server.Tests (QdrantJsClientTests), or by hand:
//   node scenario.mjs http://127.0.0.1:6333 API_KEY
// Expected values are computed here, independently of the server: nearest neighbours by brute force, counts and
// scroll order from the data this script wrote. Exit code 0 and "scenario: OK" on success; any failed check throws.
import assert from 'node:assert/strict';
import { QdrantClient } from '@qdrant/js-client-rest';

const [url, apiKey] = process.argv.slice(2);
if (!url) {
  console.error('usage: node scenario.mjs URL [API_KEY]');
  process.exit(2);
}
let checks = 0;
const check = (condition, message) => { assert.ok(condition, message); checks++; };
const equal = (actual, expected, message) => { assert.deepStrictEqual(actual, expected, message); checks++; };

// The client warns (and the test fails on the warning) if the version handshake fails or does not match.
const warnings = [];
const originalWarn = console.warn;
console.warn = (...args) => { warnings.push(args.join(' ')); originalWarn(...args); };
const client = new QdrantClient({ url, apiKey, checkCompatibility: true });

async function expectError(promise, status, fragment, what) {
  try {
    await promise;
  } catch (e) {
    equal(e.status, status, `${what}: HTTP status`);
    const message = e.data?.status?.error ?? '';
    check(message.includes(fragment), `${what}: message '${message}' should contain '${fragment}'`);
    return;
  }
  assert.fail(`${what}: expected HTTP ${status}, the call succeeded`);
}

// Deterministic data: a small linear congruential generator, so every run writes the same vectors.
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
const dim = 4;
const genres = ['sf', 'fantasy', 'crime'];
const uuids = ['6f1c7e3a-93b8-4a4e-9d5e-1b2c3d4e5f60', '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d', 'ffffffff-0000-4000-8000-000000000001'];
const points = [];
for (let i = 0; i < 60; i++) {
  points.push({
    id: i < 57 ? i + 1 : uuids[i - 57],
    vector: Array.from({ length: dim }, random),
    payload: { genre: genres[i % 3], year: 1950 + i, tags: i % 2 ? ['new'] : [] },
  });
}
const norm = v => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0) / (norm(a) * norm(b));

// 1. The handshake and collections.
const version = await client.versionInfo();
equal(version.version, '1.19.0', 'GET / reports the Qdrant version the server speaks');
equal(await client.collectionExists('books'), { exists: false }, 'no collection yet');
// on_disk: the vectors are memory-mapped from the checkpoint files (QdrantJsClientTests checks the storage on disk).
equal(await client.createCollection('books', { vectors: { size: dim, distance: 'Cosine', on_disk: true } }), true, 'create');
await expectError(client.createCollection('books', { vectors: { size: dim, distance: 'Cosine' } }), 409, 'already exists', 'create twice');
check((await client.getCollections()).collections.some(c => c.name === 'books'), 'the list holds the new collection');

// 2. Upsert a batch (column form), then points (list form) with a UUID written in upper case.
const upsert = await client.upsert('books', {
  wait: true,
  batch: { ids: points.map(p => p.id), vectors: points.map(p => p.vector), payloads: points.map(p => p.payload) },
});
equal(upsert.status, 'completed', 'upsert completes');
const info = await client.getCollection('books');
equal(info.points_count, 60, 'points_count after the batch');
equal(info.config.params.vectors, { size: dim, distance: 'Cosine', on_disk: true }, 'the vector config is echoed, on_disk included');

// 3. Query with a filter: the top 5 by cosine among sf books from 1960 on, computed here by brute force.
const q = [0.3, -0.2, 0.9, 0.1];
const filter = { must: [{ key: 'genre', match: { value: 'sf' } }], must_not: [{ key: 'year', range: { lt: 1960 } }] };
const expected = points
  .filter(p => p.payload.genre === 'sf' && p.payload.year >= 1960)
  .map(p => ({ id: p.id, score: cosine(q, p.vector) }))
  .sort((a, b) => b.score - a.score)
  .slice(0, 5);
const result = await client.query('books', { query: q, filter, limit: 5, with_payload: true });
equal(result.points.map(p => p.id), expected.map(p => p.id), 'filtered query: the brute-force top 5, in order');
result.points.forEach((p, i) => check(Math.abs(p.score - expected[i].score) < 1e-5, `score ${p.score} ~ cosine ${expected[i].score}`));
check(result.points.every(p => p.payload.genre === 'sf' && p.payload.year >= 1960), 'every hit passes the filter');
const thresholded = await client.query('books', { query: q, filter, limit: 5, score_threshold: expected[2].score - 1e-6 });
equal(thresholded.points.map(p => p.id), expected.slice(0, 3).map(p => p.id), 'score_threshold keeps the scores above it');

// 4. Scroll through everything, 7 at a time: ids ascending, numbers before UUIDs (UUIDs in lower case, ordinal).
const seen = [];
let offset = undefined;
do {
  const page = await client.scroll('books', { limit: 7, offset, with_payload: false });
  seen.push(...page.points.map(p => p.id));
  offset = page.next_page_offset ?? undefined;
} while (offset !== undefined);
const order = [...Array.from({ length: 57 }, (_, i) => i + 1), ...[...uuids].sort()];
equal(seen, order, 'scroll visits every point once, in id order');

// 5. Count.
equal((await client.count('books', { filter: { must: [{ key: 'genre', match: { value: 'fantasy' } }] } })).count,
  points.filter(p => p.payload.genre === 'fantasy').length, 'count with a filter');
equal((await client.count('books', { filter: { must: [{ key: 'tags', match: { any: ['new'] } }] } })).count, 30, 'match.any on an array field');
equal((await client.count('books', { filter: { must: [{ is_empty: { key: 'tags' } }] } })).count, 30, 'is_empty counts the empty arrays');

// 6. Payload updates.
await client.setPayload('books', { points: [1, 2], payload: { rating: 5 } });
let [one] = await client.retrieve('books', { ids: [1] });
equal(one.payload, { genre: 'sf', year: 1950, tags: [], rating: 5 }, 'setPayload adds a key and keeps the others');
await client.overwritePayload('books', { points: [3], payload: { only: true } });
equal((await client.retrieve('books', { ids: [3] }))[0].payload, { only: true }, 'overwritePayload replaces the payload');
await client.deletePayload('books', { points: [1], keys: ['year', 'tags'] });
equal((await client.retrieve('books', { ids: [1] }))[0].payload, { genre: 'sf', rating: 5 }, 'deletePayload removes the keys');
await client.clearPayload('books', { points: [2] });
equal((await client.retrieve('books', { ids: [2] }))[0].payload, {}, 'clearPayload empties the payload');

// 7. UUID ids round-trip in canonical form; a point's vector comes back normalised (Cosine), as from Qdrant.
const upper = 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D';
await client.upsert('books', { points: [{ id: upper, vector: [2, 0, 0, 0], payload: { genre: 'poetry' } }] });
const [byUuid] = await client.retrieve('books', { ids: [upper.toLowerCase()], with_vector: true });
equal(byUuid.id, upper.toLowerCase(), 'the UUID comes back in lower-case hyphenated form');
equal(byUuid.vector, [1, 0, 0, 0], 'the cosine vector is stored normalised');
await expectError(client.upsert('books', { points: [{ id: '42', vector: [1, 0, 0, 0] }] }), 400, 'UUID', 'a numeric string id');

// 8. Payload index.
await client.createPayloadIndex('books', { field_name: 'genre', field_schema: 'keyword', wait: true });
equal((await client.getCollection('books')).payload_schema.genre?.data_type, 'keyword', 'the index is listed');
// 20 crime books were written; point 3 (crime) lost its genre to overwritePayload above.
equal((await client.count('books', { filter: { must: [{ key: 'genre', match: { value: 'crime' } }] } })).count, 19, 'an indexed count');
await client.deletePayloadIndex('books', 'genre');
equal((await client.getCollection('books')).payload_schema, {}, 'the index is gone');

// 9. Delete by ids and by filter.
await client.delete('books', { points: [1, upper.toLowerCase()] });
await client.delete('books', { filter: { must: [{ key: 'genre', match: { value: 'crime' } }] } });
equal((await client.count('books')).count, 61 - 2 - 19, 'deleted two by id and the 19 crime books by filter');
equal(await client.retrieve('books', { ids: [1] }), [], 'a deleted point is not retrieved');

// 10. Named vectors and a distance metric: Qdrant's Euclid score is the distance, ascending.
await client.createCollection('places', { vectors: { image: { size: 3, distance: 'Euclid', on_disk: false }, text: { size: 2, distance: 'Dot' } } });
equal((await client.getCollection('places')).config.params.vectors,
  { image: { size: 3, distance: 'Euclid', on_disk: false }, text: { size: 2, distance: 'Dot' } }, 'on_disk echoed as given, absent where not given');
await expectError(client.createCollection('bad', { vectors: { size: 2, distance: 'Dot', on_disk: 'yes' } }), 400, 'on_disk', 'a non-boolean on_disk');
const places = Array.from({ length: 20 }, (_, i) => ({ id: i, vector: { image: [random(), random(), random()], text: [random(), random()] } }));
await client.upsert('places', { points: places });
const target = [0.1, 0.2, 0.3];
const dist = v => Math.sqrt(v.reduce((s, x, i) => s + (x - target[i]) ** 2, 0));
const nearest = places.map(p => ({ id: p.id, d: dist(p.vector.image) })).sort((a, b) => a.d - b.d).slice(0, 3);
const byImage = await client.query('places', { query: target, using: 'image', limit: 3 });
equal(byImage.points.map(p => p.id), nearest.map(p => p.id), 'Euclid: the three nearest');
byImage.points.forEach((p, i) => check(Math.abs(p.score - nearest[i].d) < 1e-5, `Euclid score ${p.score} is the distance ${nearest[i].d}`));
// Hybrid: two dense prefetches fused by RRF (Qdrant: sum of 1 / (2 + rank), ranks from 0), computed here.
const textQuery = [0.5, -1];
const rank = (key, q, score) => places.map(p => ({ id: p.id, s: score(p.vector[key], q) })).sort((a, b) => b.s - a.s).slice(0, 5).map(p => p.id);
const byImageList = rank('image', target, (v, q) => -Math.sqrt(v.reduce((s, x, i) => s + (x - q[i]) ** 2, 0)));
const byTextList = rank('text', textQuery, (v, q) => v[0] * q[0] + v[1] * q[1]);
const rrf = new Map();
[byImageList, byTextList].forEach(list => list.forEach((id, r) => rrf.set(id, (rrf.get(id) ?? 0) + 1 / (2 + r))));
const fusedExpected = [...rrf.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
const fused = await client.query('places', {
  prefetch: [{ query: target, using: 'image', limit: 5 }, { query: textQuery, using: 'text', limit: 5 }],
  query: { fusion: 'rrf' },
  limit: 3,
});
fused.points.forEach(p => check(Math.abs(p.score - rrf.get(p.id)) < 1e-6, `RRF score of ${p.id}: ${p.score} ~ ${rrf.get(p.id)}`));
equal(fused.points.map(p => p.score.toFixed(6)), fusedExpected.map(e => e[1].toFixed(6)), 'RRF: the best fused scores, in order');
const batch = await client.queryBatch('places', { searches: [{ query: target, using: 'image', limit: 1 }, { query: [1, 0], using: 'text', limit: 2 }] });
equal(batch.length, 2, 'queryBatch answers each search');
equal(batch[0].points[0].id, nearest[0].id, 'queryBatch: the first search');

// 11. Errors.
await expectError(client.query('missing', { query: q }), 404, "doesn't exist", 'an unknown collection');
await expectError(client.upsert('books', { points: [{ id: 99, vector: [1, 2, 3] }] }), 400, 'expected dim: 4, got 3', 'a wrong dimension');
await expectError(client.query('books', { query: { recommend: { positive: [2] } } }), 400, 'not supported', 'a recommend query');
const intruder = new QdrantClient({ url, apiKey: 'wrong-key', checkCompatibility: false });
await expectError(intruder.getCollections(), 401, 'API key', 'a wrong API key');

// 12. Drop.
equal(await client.deleteCollection('places'), true, 'drop');
equal(await client.collectionExists('places'), { exists: false }, 'dropped');

equal(warnings.filter(w => !w.includes('unsecure connection')), [], 'the client printed no compatibility warning');
console.log(`scenario: OK (${checks} checks)`);
