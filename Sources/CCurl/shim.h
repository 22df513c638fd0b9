// libcurl from Debian's libcurl4-openssl-dev, with typed wrappers around its variadic functions (Swift cannot
// call C variadic functions): one wrapper per argument type the HTTPTransport module passes.
#ifndef LEADSYNC_CCURL_SHIM_H
#define LEADSYNC_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode lsc_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lsc_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lsc_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lsc_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lsc_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lsc_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback f) {
    return curl_easy_setopt(handle, option, f);
}

static inline CURLcode lsc_easy_setopt_read_function(CURL *handle, curl_read_callback f) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, f);
}

static inline CURLcode lsc_easy_setopt_seek_function(CURL *handle, curl_seek_callback f) {
    return curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, f);
}

static inline CURLcode lsc_easy_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback f) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, f);
}

static inline CURLcode lsc_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode lsc_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode lsc_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode lsc_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The result code of a finished transfer's message (a member of a union in CURLMsg).
static inline CURLcode lsc_message_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
