#ifndef METALIC_CPU_PAUSE_H
#define METALIC_CPU_PAUSE_H

/// Tells the CPU that the caller is in a spin-wait loop (x86 `pause`, Arm `yield`): the loop
/// then burns less power and does not starve the sibling hyper-thread. Swift has no intrinsic.
static inline void cpu_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

#endif
