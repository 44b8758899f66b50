#ifndef VIXSHIELD_CCURL_SHIM_H
#define VIXSHIELD_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per
// argument kind.
static inline CURLcode vs_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode vs_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode vs_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode vs_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode vs_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*vs_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode vs_curl_setopt_callback(CURL *h, CURLoption o, vs_curl_data_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode vs_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode vs_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
// String results (CURLINFO_EFFECTIVE_URL, ...) point into the handle: copy them before curl_easy_cleanup.
static inline CURLcode vs_curl_getinfo_string(CURL *h, CURLINFO i, const char **v) { return curl_easy_getinfo(h, i, v); }

// CURL_GLOBAL_DEFAULT and CURL_ERROR_SIZE are macros that Swift may not import as typed constants.
static inline CURLcode vs_curl_global_init_default(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }
static inline size_t vs_curl_error_size(void) { return CURL_ERROR_SIZE; }
#endif
