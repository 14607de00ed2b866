// The consumer of the installed package: trains a small network a few steps and reports the
// kernel arch the headers chose and whether this unit was compiled without FP contraction.
// Exit code 0 only when training worked and fp_contract_off() is what the build promises:
// true for consumer (twolayer::twolayer passes -ffp-contract=off), false for consumer_control.
#include "twolayer/core/fp_contract.hpp"
#include "twolayer/twolayer.hpp"

#ifndef CONSUMER_EXPECT_CONTRACT_OFF
#define CONSUMER_EXPECT_CONTRACT_OFF 1
#endif

#if defined(CONSUMER_SEMIHOST)
extern "C" void twolayer_semihost_write0(const char* s);
static void say(const char* s) { twolayer_semihost_write0(s); }
#else
#include <cstdio>
static void say(const char* s) { std::fputs(s, stdout); }
#endif

using namespace twolayer;

network<float, 16, 4, act::erf> g_student;
network<float, 16, 2, act::erf> g_teacher;

int main() {
    gaussian_rng rng(3);
    init_network(g_teacher, rng);
    init_network(g_student, rng, second_layer_init::inv_p);
    online_sgd<float> sgd;
    float x[16];
    float first = 0, last = 0;
    for (int step = 0; step < 2000; ++step) {
        for (float& xi : x) xi = rng.gaussian<float>();
        const step_result<float> r = sgd.step(g_student, x, g_teacher.forward(x));
        if (!r) {
            say("consumer: a step was refused\n");
            return 1;
        }
        if (step < 200) first += r.loss;
        if (step >= 1800) last += r.loss;
    }
    const bool off = fp_contract_off();
    say("consumer: arch=");
    say(arch::default_arch::name);  // no printf: newlib's would bring the heap onto a board
    say(last < first ? " trained=1" : " trained=0");
    say(off ? " fp_contract_off=1\n" : " fp_contract_off=0\n");
    if (!(last < first)) return 2;
    return off == bool(CONSUMER_EXPECT_CONTRACT_OFF) ? 0 : 3;
}
