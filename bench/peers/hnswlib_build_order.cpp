// hnswlib built in two insert orders, to tell how much of VectLite's build time comes from its insert order
// (src/VectLite/Indexing/HnswGraph.BuildOrder.cs) rather than from its code:
//
//   hnswlib_build_order DATA_DIR [--order given|locality] [--M 16] [--ef-construction 200] [--ef 10,20,40,80]
//                       [--k 10] [--skeleton-divisor 10] [--landing-level 1]
//
// given:    addPoint of rows 0..n-1, as the hnswlib peer (../shared/peers/hnswlib_peer.cpp) does.
// locality: VectLite's order, written again here on hnswlib's graph: a shuffled 1/divisor of the rows first (the
//           skeleton), then the rest sorted by the node where a greedy walk from the entry point reaches
//           --landing-level (1: the insert's own descent through the upper levels; 0 walks level 0 too; ties in
//           shuffled order).
// One thread. DATA_DIR holds base.fvecs, query.fvecs, gt.ivecs (TEXMEX). Prints JSON lines: the build (seconds, and
// for locality the skeleton's and the sort's share of it), then per ef the recall@k and single-thread queries/s.
#include <hnswlib/hnswlib.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

template <typename T>
static std::vector<T> read_vecs(const std::string& path, size_t& n, size_t& d) {
    std::ifstream in(path, std::ios::binary);
    if (!in) { fprintf(stderr, "cannot open %s\n", path.c_str()); exit(2); }
    in.seekg(0, std::ios::end);
    size_t bytes = in.tellg();
    in.seekg(0);
    int32_t dim = 0;
    in.read(reinterpret_cast<char*>(&dim), 4);
    d = dim;
    n = bytes / (4 * (d + 1));
    std::vector<T> data(n * d);
    in.seekg(0);
    for (size_t i = 0; i < n; i++) {
        in.read(reinterpret_cast<char*>(&dim), 4);
        in.read(reinterpret_cast<char*>(&data[i * d]), 4 * d);
    }
    return data;
}

static double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The node a greedy walk from the entry point reaches for v: on each level, move to the closest neighbour while one is
// closer, down to level `last` inclusive.
static hnswlib::tableint landing(hnswlib::HierarchicalNSW<float>& index, const float* v, int last) {
    hnswlib::tableint node = index.enterpoint_node_;
    float best = index.fstdistfunc_(v, index.getDataByInternalId(node), index.dist_func_param_);
    for (int level = index.maxlevel_; level >= last; level--) {
        bool changed = true;
        while (changed) {
            changed = false;
            unsigned int* list = level == 0 ? index.get_linklist0(node) : index.get_linklist(node, level);
            int size = index.getListCount(list);
            auto* links = reinterpret_cast<hnswlib::tableint*>(list + 1);
            for (int i = 0; i < size; i++) {
                float d = index.fstdistfunc_(v, index.getDataByInternalId(links[i]), index.dist_func_param_);
                if (d < best) { best = d; node = links[i]; changed = true; }
            }
        }
    }
    return node;
}

int main(int argc, char** argv) {
    if (argc < 2) { fprintf(stderr, "usage: hnswlib_build_order DATA_DIR [options]\n"); return 2; }
    std::string dir = argv[1], order_name = "given", efs = "10,20,40,80";
    int M = 16, efc = 200, k = 10, divisor = 10, landing_level = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string o = argv[i], v = argv[i + 1];
        if (o == "--order") order_name = v;
        else if (o == "--M") M = std::stoi(v);
        else if (o == "--ef-construction") efc = std::stoi(v);
        else if (o == "--ef") efs = v;
        else if (o == "--k") k = std::stoi(v);
        else if (o == "--skeleton-divisor") divisor = std::stoi(v);
        else if (o == "--landing-level") landing_level = std::stoi(v);
        else { fprintf(stderr, "unknown option %s\n", o.c_str()); return 2; }
    }
    if (order_name != "given" && order_name != "locality") { fprintf(stderr, "--order is given or locality\n"); return 2; }

    size_t n, d, nq, dq, ng, kg;
    auto base = read_vecs<float>(dir + "/base.fvecs", n, d);
    auto queries = read_vecs<float>(dir + "/query.fvecs", nq, dq);
    auto gt = read_vecs<int>(dir + "/gt.ivecs", ng, kg);
    hnswlib::L2Space space(d);
    hnswlib::HierarchicalNSW<float> index(&space, n, M, efc, 100);

    double start = now_s(), skeleton_s = 0, sort_s = 0;
    if (order_name == "given") {
        for (size_t i = 0; i < n; i++) index.addPoint(&base[i * d], i);
    } else {
        std::vector<size_t> order(n);
        for (size_t i = 0; i < n; i++) order[i] = i;
        std::mt19937_64 rng(42);
        std::shuffle(order.begin(), order.end(), rng);
        size_t skeleton = n / divisor;
        for (size_t j = 0; j < skeleton; j++) index.addPoint(&base[order[j] * d], order[j]);
        skeleton_s = now_s() - start;
        double sort_start = now_s();
        std::vector<std::pair<hnswlib::tableint, size_t>> keyed;
        for (size_t j = skeleton; j < n; j++) keyed.push_back({landing(index, &base[order[j] * d], landing_level), order[j]});
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        sort_s = now_s() - sort_start;
        for (auto& p : keyed) index.addPoint(&base[p.second * d], p.second);
    }
    double build = now_s() - start;
    printf("{\"peer\":\"hnswlib\",\"phase\":\"build\",\"order\":\"%s\",\"n\":%zu,\"dim\":%zu,\"M\":%d,\"ef_construction\":%d,"
           "\"landing_level\":%d,\"seconds\":%.3f,\"skeleton_seconds\":%.3f,\"sort_seconds\":%.3f}\n",
           order_name.c_str(), n, d, M, efc, landing_level, build, skeleton_s, sort_s);
    fflush(stdout);

    std::stringstream list(efs);
    std::string item;
    while (std::getline(list, item, ',')) {
        int ef = std::stoi(item);
        index.setEf(ef);
        size_t hits = 0;
        double s = now_s();
        for (size_t q = 0; q < nq; q++) {
            auto result = index.searchKnn(&queries[q * d], k);
            std::unordered_set<int> truth(&gt[q * kg], &gt[q * kg + k]);
            while (!result.empty()) { hits += truth.count(static_cast<int>(result.top().second)); result.pop(); }
        }
        double seconds = now_s() - s;
        printf("{\"peer\":\"hnswlib\",\"phase\":\"search\",\"order\":\"%s\",\"ef\":%d,\"k\":%d,\"queries\":%zu,\"recall\":%.4f,\"qps\":%.1f}\n",
               order_name.c_str(), ef, k, nq, hits / (double)(k * nq), nq / seconds);
        fflush(stdout);
    }
    return 0;
}
