/* SPDX-License-Identifier: BSD-3-Clause */

/**
 * @file
 * The commands of the hotplug_mp prompt. Each one parses its words and
 * calls the module that does the work and prints the outcome.
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>

#include "commands.h"
#include "hotplug.h"
#include "notice.h"
#include "peers.h"
#include "shared.h"

/** Parsed `attach DEVARGS` or `detach DEVARGS`. */
struct cmd_devargs_result {
	cmdline_fixed_string_t action;  /**< "attach" or "detach". */
	/** At most 127 characters: EAL's hotplug IPC carries no more. */
	cmdline_fixed_string_t devargs;
};

/** `attach DEVARGS` and `detach DEVARGS`. */
static void
cmd_devargs_parsed(void *parsed_result, __rte_unused struct cmdline *cl, __rte_unused void *data)
{
	const struct cmd_devargs_result *res = parsed_result;

	hotplug_change(res->devargs, strcmp(res->action, "attach") == 0);
}

/** The keyword `attach` or `detach`. */
static cmdline_parse_token_string_t cmd_devargs_action =
	TOKEN_STRING_INITIALIZER(struct cmd_devargs_result, action, "attach#detach");
/** The devargs: one word. */
static cmdline_parse_token_string_t cmd_devargs_devargs =
	TOKEN_STRING_INITIALIZER(struct cmd_devargs_result, devargs, NULL);

/** The commands `attach DEVARGS` and `detach DEVARGS`. */
static cmdline_parse_inst_t cmd_devargs = {
	.f = cmd_devargs_parsed,
	.help_str = "attach|detach <devargs>: probe or remove a device in every process",
	.tokens = {
		(void *)&cmd_devargs_action,
		(void *)&cmd_devargs_devargs,
		NULL,
	},
};

/** `attach` or `detach` alone: the usage, not "Bad arguments". */
static void
cmd_devargs_alone_parsed(void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	const struct cmd_devargs_result *res = parsed_result;

	cmdline_printf(cl, "Usage: %s <devargs>, e.g. %s net_null0\n",
			res->action, res->action);
}

/** The commands `attach` and `detach` with no devargs. */
static cmdline_parse_inst_t cmd_devargs_alone = {
	.f = cmd_devargs_alone_parsed,
	.help_str = "attach|detach <devargs>: probe or remove a device in every process",
	.tokens = {
		(void *)&cmd_devargs_action,
		NULL,
	},
};

/** Parsed `notify TEXT`. */
struct cmd_notify_result {
	cmdline_fixed_string_t action; /**< "notify". */
	cmdline_multi_string_t text;   /**< The rest of the line, spaces included. */
};

/** `notify TEXT`: send it to the peers. */
static void
cmd_notify_parsed(void *parsed_result, __rte_unused struct cmdline *cl, __rte_unused void *data)
{
	const struct cmd_notify_result *res = parsed_result;

	notice_send(res->text);
}

/** The keyword `notify`. */
static cmdline_parse_token_string_t cmd_notify_action =
	TOKEN_STRING_INITIALIZER(struct cmd_notify_result, action, "notify");
/** The text. */
static cmdline_parse_token_string_t cmd_notify_text =
	TOKEN_STRING_INITIALIZER(struct cmd_notify_result, text, TOKEN_STRING_MULTI);

/** The command `notify TEXT`. */
static cmdline_parse_inst_t cmd_notify = {
	.f = cmd_notify_parsed,
	.help_str = "notify <text>: print the text in the peers",
	.tokens = {
		(void *)&cmd_notify_action,
		(void *)&cmd_notify_text,
		NULL,
	},
};

/** `notify` alone: the usage. */
static void
cmd_notify_alone_parsed(__rte_unused void *parsed_result, struct cmdline *cl,
		__rte_unused void *data)
{
	cmdline_printf(cl, "Usage: notify <text>, at most %d characters\n",
			NOTICE_TEXT_MAX);
}

/** The command `notify` with no text. */
static cmdline_parse_inst_t cmd_notify_alone = {
	.f = cmd_notify_alone_parsed,
	.help_str = "notify <text>: print the text in the peers",
	.tokens = {
		(void *)&cmd_notify_action,
		NULL,
	},
};

/** Parsed `list`, `peers`, `help` or `quit`: one keyword. */
struct cmd_word_result {
	cmdline_fixed_string_t word; /**< The keyword. */
};

/** Set by `quit`: since DPDK 23.11 no public call says that a cmdline exited. */
static volatile bool quit_requested;

bool
hotplug_mp_quit_requested(void)
{
	return quit_requested;
}

/** `list`, `peers`, `help` and `quit`. */
static void
cmd_word_parsed(void *parsed_result, struct cmdline *cl, __rte_unused void *data)
{
	const struct cmd_word_result *res = parsed_result;

	if (strcmp(res->word, "list") == 0) {
		hotplug_list();
	} else if (strcmp(res->word, "peers") == 0) {
		peers_ask();
	} else if (strcmp(res->word, "quit") == 0) {
		quit_requested = true;
		cmdline_quit(cl);
	} else {
		cmdline_printf(cl,
			"commands:\n"
			"- attach <devargs>   probe a device, in every process\n"
			"- detach <devargs>   remove it, from every process\n"
			"- list               the ports this process sees\n"
			"- peers              ask the other processes who they are\n"
			"- notify <text>      print the text in the other processes\n"
			"- help               this text\n"
			"- quit               leave this process\n\n");
	}
}

/** The keywords of the one-word commands. */
static cmdline_parse_token_string_t cmd_word_word =
	TOKEN_STRING_INITIALIZER(struct cmd_word_result, word, "list#peers#help#quit");

/** The commands `list`, `peers`, `help` and `quit`. */
static cmdline_parse_inst_t cmd_word = {
	.f = cmd_word_parsed,
	.help_str = "list|peers|help|quit",
	.tokens = {
		(void *)&cmd_word_word,
		NULL,
	},
};

cmdline_parse_ctx_t hotplug_mp_ctx[] = {
	&cmd_devargs,
	&cmd_devargs_alone,
	&cmd_notify,
	&cmd_notify_alone,
	&cmd_word,
	NULL,
};
