/*
 * The C baseline of the transactional pipe benchmark: consume -> produce with no logic, committing every N
 * records in a Kafka transaction with the consumed offsets. Same algorithm as `leadsync bench pipe`.
 *
 *   c_pipe <bootstrap> <input> <output> <records> <commit-every>
 *
 * Prints one JSON line: {"impl":"c","commit_every":N,"records":R,"seconds":S,"msgs_per_s":M,"peak_rss_mb":P}
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static void die(const char *what, const char *why) {
    fprintf(stderr, "c_pipe: %s: %s\n", what, why);
    exit(2);
}

static void check_error(const char *what, rd_kafka_error_t *error) {
    if (!error) return;
    char text[512];
    snprintf(text, sizeof text, "%s", rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    die(what, text);
}

static rd_kafka_conf_t *conf_with(const char *bootstrap) {
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        die("bootstrap.servers", errstr);
    /* As the Kafka module's clients: no 40 ms Nagle/delayed-ACK stalls on small requests. */
    if (rd_kafka_conf_set(conf, "socket.nagle.disable", "true", errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        die("socket.nagle.disable", errstr);
    return conf;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) die(name, errstr);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: c_pipe <bootstrap> <input> <output> <records> <commit-every>\n");
        return 2;
    }
    const char *bootstrap = argv[1], *input = argv[2], *output = argv[3];
    long records = atol(argv[4]), commit_every = atol(argv[5]);
    char errstr[512], group[64];
    rd_kafka_resp_err_t err;
    snprintf(group, sizeof group, "bench-c-pipe-%ld", (long)time(NULL));

    rd_kafka_conf_t *cconf = conf_with(bootstrap);
    set(cconf, "group.id", group);
    set(cconf, "partition.assignment.strategy", "cooperative-sticky");
    set(cconf, "auto.offset.reset", "earliest");
    set(cconf, "isolation.level", "read_committed");
    set(cconf, "enable.auto.commit", "false");
    set(cconf, "enable.auto.offset.store", "false");
    rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, errstr, sizeof errstr);
    if (!consumer) die("consumer", errstr);
    rd_kafka_poll_set_consumer(consumer);

    rd_kafka_conf_t *pconf = conf_with(bootstrap);
    set(pconf, "transactional.id", group);
    set(pconf, "enable.idempotence", "true");
    set(pconf, "linger.ms", "5");
    set(pconf, "partitioner", "murmur2_random");
    rd_kafka_t *producer = rd_kafka_new(RD_KAFKA_PRODUCER, pconf, errstr, sizeof errstr);
    if (!producer) die("producer", errstr);
    check_error("init transactions", rd_kafka_init_transactions(producer, 60000));
    /* As TransactionalProducer.prepareTopics: look the output topic up before the first transaction needs it. */
    rd_kafka_topic_t *output_topic = rd_kafka_topic_new(producer, output, NULL);
    const struct rd_kafka_metadata *metadata = NULL;
    err = rd_kafka_metadata(producer, 0, output_topic, &metadata, 10000);
    if (err) die("output topic metadata", rd_kafka_err2str(err));
    rd_kafka_metadata_destroy(metadata);
    rd_kafka_topic_destroy(output_topic);

    rd_kafka_topic_partition_list_t *subscription = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(subscription, input, RD_KAFKA_PARTITION_UA);
    err = rd_kafka_subscribe(consumer, subscription);
    if (err) die("subscribe", rd_kafka_err2str(err));
    rd_kafka_topic_partition_list_destroy(subscription);
    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(consumer);
    check_error("begin transaction", rd_kafka_begin_transaction(producer));

    size_t capacity = 10000;
    rd_kafka_message_t **messages = malloc(sizeof(*messages) * capacity);
    rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(64);
    long total = 0, in_transaction = 0;
    double started = 0;
    while (total < records) {
        long wanted = commit_every - in_transaction;
        if (wanted > records - total) wanted = records - total;
        if (wanted > (long)capacity) wanted = (long)capacity;
        ssize_t count = rd_kafka_consume_batch_queue(queue, 100, messages, (size_t)wanted);
        if (count <= 0) continue;
        if (started == 0) started = now_seconds();
        for (ssize_t i = 0; i < count; i++) {
            rd_kafka_message_t *message = messages[i];
            if (!message->err) {
                rd_kafka_resp_err_t produced;
                do {
                    produced = rd_kafka_producev(
                        producer, RD_KAFKA_V_TOPIC(output), RD_KAFKA_V_KEY(message->key, message->key_len),
                        RD_KAFKA_V_VALUE(message->payload, message->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                        RD_KAFKA_V_END);
                    if (produced == RD_KAFKA_RESP_ERR__QUEUE_FULL) rd_kafka_poll(producer, 1);
                } while (produced == RD_KAFKA_RESP_ERR__QUEUE_FULL);
                if (produced) die("produce", rd_kafka_err2str(produced));
                rd_kafka_topic_partition_t *entry = rd_kafka_topic_partition_list_find(
                    offsets, rd_kafka_topic_name(message->rkt), message->partition);
                if (!entry)
                    entry = rd_kafka_topic_partition_list_add(offsets, rd_kafka_topic_name(message->rkt),
                                                              message->partition);
                entry->offset = message->offset + 1;
                total++;
                in_transaction++;
            }
            rd_kafka_message_destroy(message);
        }
        if (in_transaction >= commit_every || total >= records) {
            rd_kafka_consumer_group_metadata_t *metadata = rd_kafka_consumer_group_metadata(consumer);
            check_error("send offsets", rd_kafka_send_offsets_to_transaction(producer, offsets, metadata, 30000));
            rd_kafka_consumer_group_metadata_destroy(metadata);
            check_error("commit transaction", rd_kafka_commit_transaction(producer, 60000));
            in_transaction = 0;
            if (total < records) check_error("begin transaction", rd_kafka_begin_transaction(producer));
        }
    }
    double seconds = now_seconds() - started;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("{\"impl\":\"c\",\"commit_every\":%ld,\"records\":%ld,\"seconds\":%.3f,\"msgs_per_s\":%.0f,"
           "\"peak_rss_mb\":%.1f}\n",
           commit_every, total, seconds, total / seconds, usage.ru_maxrss / 1024.0);
    fflush(stdout);
    free(messages);
    rd_kafka_topic_partition_list_destroy(offsets);
    rd_kafka_queue_destroy(queue);
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
    rd_kafka_destroy(producer);
    return 0;
}
