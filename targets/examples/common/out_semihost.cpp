// The example firmware's output on the board: semihosting (targets/cortex-m/semihost.cpp).
extern "C" void twolayer_semihost_write0(const char* s);

void example_write_line(const char* s) {
    twolayer_semihost_write0(s);
    twolayer_semihost_write0("\n");
}
