/* Plain C baseline for the SRTP micro-benchmark: libsrtp2 protect/unprotect of 1200-byte RTP
 * payloads, doing exactly the per-packet work the Swift bench does (copy the plaintext into a
 * reusable buffer, set the sequence number, protect in place; copy a protected packet into the
 * buffer, unprotect in place). Build and run via run.sh. */
#include <srtp2/srtp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAYLOAD 1200
#define HEADER 12
#define RING 8192

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static srtp_t make(int gcm, int inbound) {
    srtp_policy_t p;
    memset(&p, 0, sizeof p);
    if (gcm) {
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
    } else {
        srtp_crypto_policy_set_rtp_default(&p.rtp);
        srtp_crypto_policy_set_rtcp_default(&p.rtcp);
    }
    p.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    p.window_size = 1024;
    unsigned char key[30];
    for (int i = 0; i < 30; i++) key[i] = (unsigned char)(i * 7 + 1);
    p.key = key;
    srtp_t s;
    if (srtp_create(&s, &p) != srtp_err_status_ok) { fprintf(stderr, "srtp_create failed\n"); exit(1); }
    return s;
}

static void fill_header(uint8_t *b, uint16_t seq) {
    b[0] = 0x80; b[1] = 96; b[2] = seq >> 8; b[3] = seq & 0xff;
    b[4] = 0; b[5] = 0; b[6] = 0x10; b[7] = 0;
    b[8] = 0x12; b[9] = 0x34; b[10] = 0x56; b[11] = 0x78;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    srtp_init();
    uint8_t plain[HEADER + PAYLOAD];
    fill_header(plain, 0);
    for (int i = 0; i < PAYLOAD; i++) plain[HEADER + i] = (uint8_t)i;
    static uint8_t buf[HEADER + PAYLOAD + SRTP_MAX_TRAILER_LEN] __attribute__((aligned(16)));
    static uint8_t ring[RING][HEADER + PAYLOAD + SRTP_MAX_TRAILER_LEN] __attribute__((aligned(16)));
    static int ring_len[RING];

    for (int gcm = 1; gcm >= 0; gcm--) {
        const char *name = gcm ? "aeadAes128Gcm" : "aes128CmSha1_80";
        double best_p = 1e30, best_u = 1e30;
        for (int r = 0; r < rounds; r++) {
            /* protect */
            srtp_t tx = make(gcm, 0);
            uint16_t seq = 0;
            double t0 = now_s();
            for (long i = 0; i < n; i++) {
                memcpy(buf, plain, sizeof plain);
                buf[2] = seq >> 8; buf[3] = seq & 0xff; seq++;
                int len = sizeof plain;
                if (srtp_protect(tx, buf, &len) != srtp_err_status_ok) { fprintf(stderr, "protect failed\n"); return 1; }
            }
            double t = now_s() - t0;
            if (t < best_p) best_p = t;
            srtp_dealloc(tx);

            /* unprotect: RING distinct packets; a fresh receiver per pass through the ring */
            tx = make(gcm, 0);
            for (int i = 0; i < RING; i++) {
                memcpy(ring[i], plain, sizeof plain);
                ring[i][2] = i >> 8; ring[i][3] = i & 0xff;
                ring_len[i] = sizeof plain;
                if (srtp_protect(tx, ring[i], &ring_len[i]) != srtp_err_status_ok) return 1;
            }
            srtp_dealloc(tx);
            srtp_t rx = NULL;
            t0 = now_s();
            for (long i = 0; i < n; i++) {
                int k = (int)(i % RING);
                if (k == 0) { if (rx) srtp_dealloc(rx); rx = make(gcm, 1); }
                memcpy(buf, ring[k], ring_len[k]);
                int len = ring_len[k];
                if (srtp_unprotect(rx, buf, &len) != srtp_err_status_ok) { fprintf(stderr, "unprotect failed\n"); return 1; }
            }
            t = now_s() - t0;
            if (t < best_u) best_u = t;
            srtp_dealloc(rx);
        }
        printf("c %s protect %.0f\n", name, n / best_p);
        printf("c %s unprotect %.0f\n", name, n / best_u);
    }
    return 0;
}
