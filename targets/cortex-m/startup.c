/* Cortex-M startup for the QEMU MPS2/MPS3 boards (M4, M7, M33, M55): vector table, reset handler
 * (FPU/MVE on, .data copied, .bss zeroed, C++ constructors run, main called, its return value
 * leaves through semihosting), and a fault handler that reports and exits with code 99 so a
 * crashing test fails at once instead of hanging. */
#include <stdint.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _estack[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
int main(void);
void twolayer_semihost_write0(const char* s);
void twolayer_semihost_exit(int code) __attribute__((noreturn));

void Reset_Handler(void) __attribute__((noreturn));
void Fault_Handler(void) __attribute__((noreturn));

void Fault_Handler(void) {
    twolayer_semihost_write0("\n*** fault (HardFault/MemManage/BusFault/UsageFault): test image crashed ***\n");
    twolayer_semihost_exit(99);
}

void Reset_Handler(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    /* CPACR: full access to CP10/CP11 (FPU, and MVE on v8.1-M) before any FP instruction. */
    *(volatile uint32_t*)0xE000ED88u |= (0xFu << 20);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    for (uint32_t *s = _sidata, *d = _sdata; d < _edata;) *d++ = *s++;
    for (uint32_t* d = _sbss; d < _ebss;) *d++ = 0;
    for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
    twolayer_semihost_exit(main());
}

typedef void (*vector_t)(void);
__attribute__((section(".isr_vector"), used)) const vector_t twolayer_vectors[16] = {
    (vector_t)_estack, Reset_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    Fault_Handler, Fault_Handler, 0, 0, 0, Fault_Handler, Fault_Handler, 0, Fault_Handler, Fault_Handler,
};
