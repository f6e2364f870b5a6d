#pragma once
// Runs `work(i)` for i in [0, n) on up to `jobs` threads (0: one per core). Callers write results
// into per-index slots and merge them in index order, so output never depends on scheduling.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace querylens {

template <typename F>
void parallel_for(size_t n, unsigned jobs, F work) {
    jobs = std::min<unsigned>(jobs ? jobs : std::max(1u, std::thread::hardware_concurrency()),
                              static_cast<unsigned>(std::max<size_t>(1, n)));
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next.fetch_add(1)) < n;) work(i);
    };
    if (jobs <= 1) return worker();
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < jobs; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
}

}  // namespace querylens
