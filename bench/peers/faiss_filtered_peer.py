#!/usr/bin/python3
"""Filtered-search peer for `bench filtered`: faiss IndexHNSWFlat (Debian's python3-faiss) searched with an
IDSelectorBitmap per query (faiss walks the whole graph and keeps only selected ids as results), on the same
fashion-mnist-784 folder and the same filters as VectLite.

  faiss_filtered_peer.py DATA_DIR SPEC_FILE [--M 16] [--ef-construction 200] [--ef 10,20,40,80,160]
                         [--queries N] [--build-threads 2] [--cache DIR] [--rounds 1]

SPEC_FILE (written by the bench, little-endian int32): n_rows, n_queries, n_configs; the base labels (n_rows);
then per config: a name length and UTF-8 name, then per query a class mask and a bucket limit, then per query the
exact filtered top-10 row ids (-1 padded). A row passes when bit label(row) of the mask is set and
bucket(row) = ((row * 2654435761) mod 2^32) mod 1000 is below the limit; the bench computes the same.

The graph is built once (--build-threads threads) and cached under --cache (default $TMPDIR or /tmp) keyed by
M and ef_construction, so repeated runs skip the build; the build line says whether it was loaded.
Prints JSON lines: the build, then per round, config and ef: recall@10, queries/s (one query per call, one
thread; the selector is made before the timing), p50 and p99 latency. ef is set both in the search parameters and
on the index (faiss 1.7.3 sizes its candidate queue by the index's hnsw.efSearch whatever the parameters say).
"""
import argparse, json, os, time

a = argparse.ArgumentParser(allow_abbrev=False)
a.add_argument("dir")
a.add_argument("spec")
a.add_argument("--M", type=int, default=16)
a.add_argument("--ef-construction", type=int, default=200)
a.add_argument("--ef", default="10,20,40,80,160")
a.add_argument("--queries", type=int)
a.add_argument("--build-threads", type=int, default=2)
a.add_argument("--cache", default=os.environ.get("TMPDIR", "/tmp"))
a.add_argument("--rounds", type=int, default=1)
opt = a.parse_args()
os.environ["OPENBLAS_NUM_THREADS"] = str(opt.build_threads)
import numpy as np
import faiss


def emit(**fields):
    print(json.dumps({"peer": "faiss-filtered", **fields}, separators=(",", ":")), flush=True)


def read_vecs(name, dtype):
    raw = np.fromfile(os.path.join(opt.dir, name), dtype=dtype)
    d = raw[:1].view(np.int32)[0]
    return np.ascontiguousarray(raw.reshape(-1, d + 1)[:, 1:])


base = read_vecs("base.fvecs", np.float32)
query = read_vecs("query.fvecs", np.float32)
n, d = base.shape

spec = np.fromfile(opt.spec, dtype=np.int32)
pos = 0
def take(count):
    global pos
    out = spec[pos:pos + count]
    pos += count
    return out
n_rows, n_queries, n_configs = take(3)
assert n_rows == n, f"spec is for {n_rows} rows, base has {n}"
labels = take(n_rows)
bucket = ((np.arange(n, dtype=np.uint64) * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)) % np.uint64(1000)
bucket = bucket.astype(np.int64)
configs = []
for _ in range(n_configs):
    length = int(take(1)[0])
    name = bytes(take((length + 3) // 4).view(np.uint8)[:length]).decode()
    pairs = take(2 * n_queries).reshape(n_queries, 2)
    truth = take(10 * n_queries).reshape(n_queries, 10)
    configs.append((name, pairs, truth))

cache = os.path.join(opt.cache, f"faiss-hnsw-fmnist-{n}-M{opt.M}-efc{opt.ef_construction}.index")
t0 = time.perf_counter()
if os.path.exists(cache):
    index = faiss.read_index(cache)
    loaded = True
else:
    faiss.omp_set_num_threads(opt.build_threads)
    index = faiss.IndexHNSWFlat(d, opt.M)
    index.hnsw.efConstruction = opt.ef_construction
    index.add(base)
    faiss.write_index(index, cache + ".tmp")
    os.replace(cache + ".tmp", cache)
    loaded = False
emit(phase="build", n=n, dim=d, M=opt.M, ef_construction=opt.ef_construction, threads=opt.build_threads,
     seconds=round(time.perf_counter() - t0, 3), loaded=loaded, faiss=faiss.__version__)

faiss.omp_set_num_threads(1)
nq = min(n_queries, opt.queries or n_queries)
label_bit = (1 << labels.astype(np.int64))
for r in range(opt.rounds):
    for name, pairs, truth in configs:
        # One selector per distinct (mask, limit): uncorrelated filters share one, label filters have a few.
        selectors = {}
        per_query = []
        for q in range(nq):
            mask, limit = int(pairs[q, 0]), int(pairs[q, 1])
            key = (mask, limit)
            if key not in selectors:
                passing = ((label_bit & mask) != 0) & (bucket < limit)
                bits = np.packbits(passing.astype(np.uint8), bitorder="little")
                selectors[key] = (bits, faiss.IDSelectorBitmap(n, faiss.swig_ptr(bits)))
            per_query.append(selectors[key][1])
        for ef in map(int, opt.ef.split(",")):
            # faiss 1.7.3 reads ef in two places: SearchParametersHNSW.efSearch is the stopping rule, but the candidate
            # queue is sized by the index's own hnsw.efSearch (default 16). With only the parameter set, recall stops
            # growing past ef 16 (0.93 at a 50% filter from ef 20 to 320); with both it reaches 1.0 at ef 320.
            index.hnsw.efSearch = ef
            params = []
            for q in range(nq):
                p = faiss.SearchParametersHNSW()
                p.sel = per_query[q]
                p.efSearch = ef
                params.append(p)
            lat = np.empty(nq)
            hits = 0
            s0 = time.perf_counter()
            for q in range(nq):
                t = time.perf_counter()
                _, ids = index.search(query[q:q + 1], 10, params=params[q])
                lat[q] = time.perf_counter() - t
                expected = truth[q][truth[q] >= 0]
                hits += len(np.intersect1d(ids[0], expected))
            total = time.perf_counter() - s0
            lat.sort()
            emit(phase="search", round=r + 1, config=name, ef=ef, queries=nq,
                 recall=round(hits / (nq * 10), 4), qps=round(nq / total, 1),
                 p50_ms=round(lat[nq // 2] * 1e3, 4), p99_ms=round(lat[int(nq * 0.99)] * 1e3, 4))
