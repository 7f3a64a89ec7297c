/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The interactive prompt of simple_mp, built on DPDK's cmdline library.
 */

#ifndef SIMPLE_MP_COMMANDS_H
#define SIMPLE_MP_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include <cmdline_parse.h>

/** The commands: send, send_burst, stats, help, quit. */
extern cmdline_parse_ctx_t simple_mp_ctx[];

/** What `stats` prints, without the newline, into @p line. */
void simple_mp_stats_line(char *line, size_t size);

/** True once `quit` was typed at the prompt. */
bool simple_mp_quit_requested(void);

#endif /* SIMPLE_MP_COMMANDS_H */
