/* push-audience.h: the audience area (streaming readers, fingerprints, the row model)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "push-audience-types.h"
#include "push-audience-problem.h"
#include "push-audience-fingerprint.h"
#include "push-audience-reader.h"
#include "push-audience-record.h"
#include "push-audience-row-model.h"
