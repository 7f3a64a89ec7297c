/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * The checked copy's messages.c, as msg_volume builds it (volume_lab.c):
 * its public functions (messages.h), and its receive, which is static there.
 */

#ifndef VOLUME_LAB_H
#define VOLUME_LAB_H

#include <stddef.h>

#include "messages.h"

/**
 * The lab's msg_receive(): one message, if any, off the receive ring
 * (dequeue_message(), TODO 4) into @p text, counted as received.
 * @return 1 when a message was received, 0 when the ring was empty.
 */
int volume_receive(char *text, size_t size);

/**
 * Puts TEXT on the receive ring, in a buffer of the pool, then receives it
 * into OUT, SIZE bytes: msg_receive()'s result, or -ENOBUFS or -ENOSPC when
 * TEXT could not be put there.
 */
int volume_short_receive(const char *text, char *out, size_t size);

#endif /* VOLUME_LAB_H */
