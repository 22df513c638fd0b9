#ifndef LEADSYNC_CRDKAFKA_SHIM_H
#define LEADSYNC_CRDKAFKA_SHIM_H
// librdkafka's public API and its mock cluster (experimental, not ABI-stable: pinned to Debian's 2.0.2).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
