/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The monotonic clock in nanoseconds: what real time is measured in, by the
 * real simulated clock, the real-process sampler, the control socket and
 * the notifier. No dependencies beyond the C library.
 */
#ifndef MEMCGFS_CLOCK_H
#define MEMCGFS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

#endif
