package wxsend.broadcast.dynamodb;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import wxsend.broadcast.BroadcastStoreException;
import wxsend.broadcast.Ledger;

/**
 * A chunk's ledger as an item of the broadcast table, and the keys its neighbours take there. The
 * table has one key, {@code id}: a broadcast is {@code bc-…}, the ledger of its chunk n is
 * {@code bc-…#c n}, and its totals are {@link #SHARDS} items {@code bc-…#t k}, chunk n adding to
 * shard n mod {@value #SHARDS}. No item grows with the broadcast; chunks finishing at once spread
 * their transactions over the shards instead of meeting on one item.
 */
final class LedgerItems {

    static final int SHARDS = 16;
    static final String COUNT_PREFIX = "n_";

    private LedgerItems() {
    }

    static String ledgerId(String broadcast, int seq) {
        return broadcast + "#c" + seq;
    }

    static String shardId(String broadcast, int shard) {
        return broadcast + "#t" + shard;
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    /** Attributes: fp, st (the marks), ver, own/cat/cut while a window is claimed, done, err (index → errcode), ttl. */
    static Map<String, AttributeValue> item(String broadcast, int seq, Ledger ledger, Instant keepUntil) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS(ledgerId(broadcast, seq)));
        item.put("fp", AttributeValue.fromS(ledger.fingerprint()));
        item.put("st", AttributeValue.fromS(ledger.marks()));
        item.put("ver", n(ledger.version()));
        if (ledger.owner() != null) {
            item.put("own", AttributeValue.fromS(ledger.owner()));
            item.put("cat", n(ledger.claimedAt().toEpochMilli()));
            item.put("cut", n(ledger.claimUntil().toEpochMilli()));
        }
        item.put("done", AttributeValue.fromBool(ledger.counted()));
        if (!ledger.errcodes().isEmpty()) {
            Map<String, AttributeValue> errs = new HashMap<>();
            ledger.errcodes().forEach((index, code) -> errs.put(Integer.toString(index), n(code)));
            item.put("err", AttributeValue.fromM(errs));
        }
        item.put("ttl", n(keepUntil.getEpochSecond()));
        return item;
    }

    static Ledger ledger(Map<String, AttributeValue> item) {
        AttributeValue fp = item.get("fp");
        AttributeValue marks = item.get("st");
        AttributeValue version = item.get("ver");
        if (fp == null || fp.s() == null || marks == null || marks.s() == null || version == null || version.n() == null) {
            throw new BroadcastStoreException("broadcast table holds a malformed chunk ledger", null);
        }
        Map<Integer, Integer> errs = new TreeMap<>();
        AttributeValue err = item.get("err");
        if (err != null && err.hasM()) {
            err.m().forEach((index, code) -> errs.put(Integer.valueOf(index), Integer.valueOf(code.n())));
        }
        AttributeValue owner = item.get("own");
        AttributeValue done = item.get("done");
        return new Ledger(fp.s(), marks.s(), Integer.parseInt(version.n()), owner == null ? null : owner.s(), instant(item, "cat"),
                instant(item, "cut"), done != null && Boolean.TRUE.equals(done.bool()), errs);
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
