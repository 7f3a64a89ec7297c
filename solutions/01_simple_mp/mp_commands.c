/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * Commands of the simple_mp prompt. Each one only calls the message layer
 * and reports the outcome: the prompt never touches a ring itself.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_cycles.h>

#include "messages.h"
#include "mp_commands.h"
#include "shared.h"

/** Parsed `send <text>`: the text is the rest of the line, spaces included. */
struct cmd_send_result {
	cmdline_fixed_string_t action;  /**< "send". */
	cmdline_multi_string_t message; /**< The text to send. */
};

/** Says why text was not sent, from what msg_send() or msg_send_wait() returned. */
static void
report_not_sent(const struct cmdline *cl, const char *text, int ret)
{
	switch (ret) {
	case 0:
		break;
	case -EMSGSIZE:
		cmdline_printf(cl, "Message too long (%zu characters, at most %d) - not sent\n",
				strlen(text), MSG_SIZE - 1);
		break;
	case -ENOSPC:
		cmdline_printf(cl, "Failed to send message - ring full, message discarded\n");
		break;
	case -ENOBUFS:
		cmdline_printf(cl, "Failed to send message - no free message buffer\n");
		break;
	default:
		cmdline_printf(cl, "Failed to send message - %s\n", strerror(-ret));
		break;
	}
}

/** `send <text>`: send it and report why when it was not sent. */
static void
cmd_send_parsed(void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	const struct cmd_send_result *res = parsed_result;

	report_not_sent(cl, res->message, msg_send(res->message));
}

/** The keyword `send`. */
static cmdline_parse_token_string_t cmd_send_action =
	TOKEN_STRING_INITIALIZER(struct cmd_send_result, action, "send");
/** The rest of the line after `send`. */
static cmdline_parse_token_string_t cmd_send_message =
	TOKEN_STRING_INITIALIZER(struct cmd_send_result, message,
			TOKEN_STRING_MULTI);

/** The command `send <text>`. */
static cmdline_parse_inst_t cmd_send = {
	.f = cmd_send_parsed,
	.help_str = "send <text>: send a string to the other process",
	.tokens = {
		(void *)&cmd_send_action,
		(void *)&cmd_send_message,
		NULL,
	},
};

/** Parsed `send` alone, so that it gets a usage line, not "Bad arguments". */
struct cmd_send_alone_result {
	cmdline_fixed_string_t action; /**< "send". */
};

/** `send` alone: print the usage. */
static void
cmd_send_alone_parsed(__rte_unused void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	cmdline_printf(cl, "Usage: send <text>, at most %d characters\n", MSG_SIZE - 1);
}

/** The command `send` with no text. */
static cmdline_parse_inst_t cmd_send_alone = {
	.f = cmd_send_alone_parsed,
	.help_str = "send <text>: send a string to the other process",
	.tokens = {
		(void *)&cmd_send_action,
		NULL,
	},
};

/** Parsed `send_burst <count> <text>`. */
struct cmd_send_burst_result {
	cmdline_fixed_string_t action;  /**< "send_burst". */
	uint32_t count;                 /**< How many times to send the text. */
	cmdline_multi_string_t message; /**< The text to send. */
};

/**
 * `send_burst <count> <text>`: send the text count times as fast as the
 * other process takes it, then print the rate. The prompt's `send` is far
 * slower than the rings (the prompt reads and echoes one character at a
 * time); this shows what the message layer itself can do.
 */
static void
cmd_send_burst_parsed(void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	struct cmd_send_burst_result *res = parsed_result;
	const uint64_t start = rte_get_timer_cycles();
	double seconds;
	uint32_t sent;
	int ret = 0;

	for (sent = 0; sent < res->count; sent++) {
		ret = msg_send_wait(res->message);
		if (ret < 0)
			break;
	}
	seconds = (double)(rte_get_timer_cycles() - start) / rte_get_timer_hz();
	/* A second without room: msg_send_wait() gave up; the rest as `send`. */
	if (ret == -ENOSPC || ret == -ENOBUFS)
		cmdline_printf(cl, "Stopped: %s for a second - is the other process receiving?\n",
				ret == -ENOSPC ? "ring full" : "no free message buffer");
	else
		report_not_sent(cl, res->message, ret);
	cmdline_printf(cl, "Sent %" PRIu32 " of %" PRIu32 " messages in %.6f s: %.0f messages per second\n",
			sent, res->count, seconds, seconds > 0 ? sent / seconds : 0);
}

/** The keyword `send_burst`. */
static cmdline_parse_token_string_t cmd_send_burst_action =
	TOKEN_STRING_INITIALIZER(struct cmd_send_burst_result, action, "send_burst");
/** How many messages. */
static cmdline_parse_token_num_t cmd_send_burst_count =
	TOKEN_NUM_INITIALIZER(struct cmd_send_burst_result, count, RTE_UINT32);
/** The rest of the line. */
static cmdline_parse_token_string_t cmd_send_burst_message =
	TOKEN_STRING_INITIALIZER(struct cmd_send_burst_result, message,
			TOKEN_STRING_MULTI);

/** The command `send_burst <count> <text>`. */
static cmdline_parse_inst_t cmd_send_burst = {
	.f = cmd_send_burst_parsed,
	.help_str = "send_burst <count> <text>: send the text count times, waiting while the ring is full; print the rate",
	.tokens = {
		(void *)&cmd_send_burst_action,
		(void *)&cmd_send_burst_count,
		(void *)&cmd_send_burst_message,
		NULL,
	},
};

/** Parsed `stats`. */
struct cmd_stats_result {
	cmdline_fixed_string_t stats; /**< "stats". */
};

/** `stats`: this process's counters, the pool and the rings. */
static void
cmd_stats_parsed(__rte_unused void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	char line[256];

	simple_mp_stats_line(line, sizeof(line));
	cmdline_printf(cl, "%s\n", line);
}

/** The keyword `stats`. */
static cmdline_parse_token_string_t cmd_stats_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_stats_result, stats, "stats");

/** The command `stats`. */
static cmdline_parse_inst_t cmd_stats = {
	.f = cmd_stats_parsed,
	.help_str = "stats: messages sent, received, dropped; free buffers",
	.tokens = {
		(void *)&cmd_stats_stats,
		NULL,
	},
};

/** Parsed `quit`. */
struct cmd_quit_result {
	cmdline_fixed_string_t quit; /**< "quit". */
};

void
simple_mp_stats_line(char *line, size_t size)
{
	struct msg_stats st;
	unsigned int to_send, to_receive;

	msg_get_stats(&st);
	msg_get_queued(&to_send, &to_receive);
	snprintf(line, size, "Messages: sent %" PRIu64 ", received %" PRIu64
			", dropped (ring full) %" PRIu64
			"; pool: %u free of %u; rings: %u to send, %u to receive",
			st.sent, st.received, st.dropped,
			msg_pool_free(), msg_pool_total(), to_send, to_receive);
}

/** Set by `quit`: since DPDK 23.11 no public call says that a cmdline exited. */
static volatile bool quit_requested;

bool
simple_mp_quit_requested(void)
{
	return quit_requested;
}

/** `quit`: leave the prompt; main() then stops the receivers. */
static void
cmd_quit_parsed(__rte_unused void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	quit_requested = true;
	cmdline_quit(cl);
}

/** The keyword `quit`. */
static cmdline_parse_token_string_t cmd_quit_quit =
	TOKEN_STRING_INITIALIZER(struct cmd_quit_result, quit, "quit");

/** The command `quit`. */
static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: close this process",
	.tokens = {
		(void *)&cmd_quit_quit,
		NULL,
	},
};

/** Parsed `help`. */
struct cmd_help_result {
	cmdline_fixed_string_t help; /**< "help". */
};

/** `help`: list the commands. */
static void
cmd_help_parsed(__rte_unused void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	cmdline_printf(cl,
		"Commands:\n"
		"  send <text>  send a string (at most %d characters) to the other process\n"
		"  send_burst <count> <text>\n"
		"               send it count times, as fast as the other process\n"
		"               takes it, and print the rate\n"
		"  stats        messages sent, received, dropped; free message buffers\n"
		"  help         this text\n"
		"  quit         close this process\n", MSG_SIZE - 1);
}

/** The keyword `help`. */
static cmdline_parse_token_string_t cmd_help_help =
	TOKEN_STRING_INITIALIZER(struct cmd_help_result, help, "help");

/** The command `help`. */
static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: list the commands",
	.tokens = {
		(void *)&cmd_help_help,
		NULL,
	},
};

cmdline_parse_ctx_t simple_mp_ctx[] = {
	&cmd_send,
	&cmd_send_alone,
	&cmd_send_burst,
	&cmd_stats,
	&cmd_help,
	&cmd_quit,
	NULL,
};
