/**
 * Lua scripts that keep a row and its index sets consistent in one atomic step.
 * Partition sets are addressed from ARGV (a prefix plus the row's column value), so the
 * store expects a single Redis server, not a cluster.
 */

/**
 * Replaces or deletes one row if its revision is the expected one.
 * KEYS: row, index set, expiry sorted set, order sorted set.
 * ARGV: expected revision ('*' any, '' absent), index member, partition column ('' none),
 * partition set prefix, 'put' | 'del', expiresAt ('' none), ttl ms, order score, order
 * partition prefix ('' when the table has no order column), then field/value pairs.
 * Returns the new revision, 0 for a delete of a missing row, -1 on a revision conflict.
 */
export const WRITE_ROW_SCRIPT = `
local rev = redis.call('HGET', KEYS[1], '_rev')
if ARGV[1] ~= '*' and (rev or '') ~= ARGV[1] then return -1 end
local ordered = ARGV[9] ~= ''
if ARGV[3] ~= '' then
  local old = redis.call('HGET', KEYS[1], ARGV[3])
  if old then
    redis.call('SREM', ARGV[4] .. old, ARGV[2])
    if ordered then redis.call('ZREM', ARGV[9] .. old, ARGV[2]) end
  end
end
redis.call('DEL', KEYS[1])
if ARGV[5] == 'del' then
  redis.call('SREM', KEYS[2], ARGV[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
  if ordered then redis.call('ZREM', KEYS[4], ARGV[2]) end
  if rev then return 1 end
  return 0
end
local next_rev = (tonumber(rev) or 0) + 1
redis.call('HSET', KEYS[1], '_rev', next_rev, unpack(ARGV, 10))
redis.call('SADD', KEYS[2], ARGV[2])
if ordered then redis.call('ZADD', KEYS[4], ARGV[8], ARGV[2]) end
if ARGV[3] ~= '' then
  local value = redis.call('HGET', KEYS[1], ARGV[3])
  if value then
    redis.call('SADD', ARGV[4] .. value, ARGV[2])
    if ordered then redis.call('ZADD', ARGV[9] .. value, ARGV[8], ARGV[2]) end
  end
end
if ARGV[6] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[6], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
end
return next_rev
`;

/**
 * Deletes every row whose expiry is at or before a time.
 * KEYS: expiry sorted set, index set.
 * ARGV: now, row key prefix, partition column ('' none), partition set prefix.
 * Returns how many rows were deleted.
 */
export const DELETE_EXPIRED_SCRIPT = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local deleted = 0
for _, member in ipairs(members) do
  local key = ARGV[2] .. member
  if ARGV[3] ~= '' then
    local value = redis.call('HGET', key, ARGV[3])
    if value then redis.call('SREM', ARGV[4] .. value, member) end
  end
  deleted = deleted + redis.call('DEL', key)
  redis.call('ZREM', KEYS[1], member)
  redis.call('SREM', KEYS[2], member)
end
return deleted
`;
