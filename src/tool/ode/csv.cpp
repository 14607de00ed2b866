#include "csv.hpp"

#include <cstdio>
#include <string>

namespace twolayer::tool::ode {

namespace {

std::string num(double x) {
    char b[40];
    std::snprintf(b, sizeof b, "%.12g", x);
    return b;
}

void write_header(std::ostream& out, const order_state& s, bool order_columns, bool train_v) {
    out << "chain,t,eps_g";
    if (order_columns) {
        for (long i = 0; i < s.P(); ++i)
            for (long k = i; k < s.P(); ++k) out << ",Q_" << i << '_' << k;
        for (long i = 0; i < s.P(); ++i)
            for (long n = 0; n < s.P_star(); ++n) out << ",R_" << i << '_' << n;
        if (train_v)
            for (long i = 0; i < s.P(); ++i) out << ",v_" << i;
    }
    out << '\n';
}

void write_row(std::ostream& out, long chain, const ode_report& r, bool order_columns, bool train_v) {
    out << chain << ',' << num(r.t) << ',' << num(r.eps_g);
    if (order_columns) {
        const order_state& s = r.state;
        for (long i = 0; i < s.P(); ++i)
            for (long k = i; k < s.P(); ++k) out << ',' << num(s.Q(i, k));
        for (double e : s.R.a) out << ',' << num(e);
        if (train_v)
            for (double e : s.v) out << ',' << num(e);
    }
    out << '\n';
}

}  // namespace

void write_csv(std::ostream& out, const std::vector<ode_solution>& chains, bool order_columns, bool train_v) {
    const ode_report* first = nullptr;
    for (const ode_solution& c : chains)
        if (!first && !c.reports.empty()) first = &c.reports.front();
    if (!first) return;
    write_header(out, first->state, order_columns, train_v);
    for (std::size_t j = 0; j < chains.size(); ++j)
        for (const ode_report& r : chains[j].reports) write_row(out, long(j), r, order_columns, train_v);
}

}  // namespace twolayer::tool::ode
