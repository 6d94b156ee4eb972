/**
 * The Lua scripts every cart change runs through (EVALSHA, falling back to EVAL: see CartStore.eval).
 * A script runs atomically in Redis, so two devices changing one cart are serialised there: no
 * change is lost and `_v` (the version) goes up by one per changing request.
 *
 * A cart is a hash: `_v` version, `_o` owner (`g` for a guest cart, `u:<account subject>` for a shopper's;
 * never "": the emulation reads an empty string as nil), `_c`/`_u`
 * created/updated (ms), `_l` number of lines, `_n` line counter (display order), and per SKU
 * `q:<sku>` quantity, `p:<sku>` unit price when the line last changed, `o:<sku>` its order.
 * Written without cjson and redis.error_reply, which the emulation lacks: errors are returned as
 * `{ "ERR", code, detail }`.
 */

/** Create a guest cart. KEYS: cart. ARGV: now, ttl. */
export const CREATE_GUEST = `
redis.call('HSET', KEYS[1], '_v', 0, '_o', 'g', '_c', ARGV[1], '_u', ARGV[1], '_l', 0, '_n', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'OK'`;

/**
 * The shopper's one active cart in this store, created when there is none.
 * KEYS: owner pointer, candidate cart. ARGV: key prefix of carts, candidate id, owner, now, ttl.
 * Returns { id, created }.
 */
export const SHOPPER_CART = `
local id = redis.call('GET', KEYS[1])
if id then
  local key = ARGV[1] .. id
  if redis.call('HGET', key, '_o') == ARGV[3] then
    redis.call('PEXPIRE', key, ARGV[5])
    redis.call('PEXPIRE', key .. ':ops', ARGV[5])
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
    return {id, '0'}
  end
end
redis.call('HSET', KEYS[2], '_v', 0, '_o', ARGV[3], '_c', ARGV[4], '_u', ARGV[4], '_l', 0, '_n', 0)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[5])
return {ARGV[2], '1'}`;

/**
 * Read a cart and slide its expiry. KEYS: cart, its ops set, owner pointer. ARGV: expected owner
 * ('*' = any: the caller holds the cart token; else `u:<subject>`), ttl. Returns the hash, or an empty list.
 */
export const READ = `
local owner = redis.call('HGET', KEYS[1], '_o')
if not owner or (ARGV[1] ~= '*' and owner ~= ARGV[1]) then return {} end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
if owner ~= 'g' then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
return redis.call('HGETALL', KEYS[1])`;

/** Fields per operation in MUTATE's ARGV. */
export const OP_FIELDS = 8;

/**
 * Apply operations to a cart, in the order given. KEYS: cart, ops set, events list, event sequence,
 * event epoch, owner pointer. ARGV: expected owner, ttl, now, mode, max lines, max quantity, epoch
 * candidate, cart id, op count, then per op: opId ('~' = none), kind (add|set|remove), sku, quantity,
 * stock, unit price ('~' = unknown), product id ('~' = unknown), purchasable (1|0).
 * ARGV never carries "" (see above).
 *
 * mode 'strict' (the item routes, one op): any limit is an error and nothing is written; success
 * always takes a new version.
 * mode 'cap' (offline ops): each op is applied at most once (opId), capped by stock and the line
 * limit, or skipped with a status. Every quantity change stages a behaviour event (seq, kind, sku,
 * product, units, cart, time, owner) in the tenant's event list, in the same atomic step.
 * Returns { 'OK', version, n, per op: status, quantity, requested, then the cart hash }.
 */
export const MUTATE = `
local cart, opsKey, evKey, seqKey, epochKey, ownerKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local owner = redis.call('HGET', cart, '_o')
if not owner or (ARGV[1] ~= '*' and owner ~= ARGV[1]) then return {'ERR', 'not_found', ''} end
local ttl, now, mode = ARGV[2], ARGV[3], ARGV[4]
local maxLines, maxQty = tonumber(ARGV[5]), tonumber(ARGV[6])
local n = tonumber(ARGV[9])
local lines = tonumber(redis.call('HGET', cart, '_l') or '0')
local out = {}
local changed = false
for i = 0, n - 1 do
  local b = 9 + i * ${OP_FIELDS}
  local opId, kind, sku = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
  local qty, stock, price, pid = tonumber(ARGV[b + 4]), tonumber(ARGV[b + 5]), ARGV[b + 6], ARGV[b + 7]
  local ok = ARGV[b + 8] == '1'
  local qf = 'q:' .. sku
  local cur = tonumber(redis.call('HGET', cart, qf) or '0')
  local status, new, requested = 'applied', cur, -1
  if opId ~= '~' and redis.call('SISMEMBER', opsKey, opId) == 1 then
    status = 'duplicate'
  else
    if kind == 'remove' then
      if cur == 0 and mode == 'strict' then return {'ERR', 'no_line', sku} end
      new = 0
    elseif kind == 'set' and cur == 0 and mode == 'strict' then
      return {'ERR', 'no_line', sku}
    elseif not ok and (kind == 'add' or qty > cur) then
      if mode == 'strict' then return {'ERR', 'unavailable', sku} end
      status = 'product_gone'
    else
      local want = qty
      if kind == 'add' then want = cur + qty end
      if mode == 'strict' then
        if cur == 0 and lines >= maxLines then return {'ERR', 'lines', tostring(maxLines)} end
        if want > maxQty then return {'ERR', 'quantity', tostring(maxQty - cur)} end
        if want > stock and want > cur then return {'ERR', 'stock', tostring(stock)} end
        new = want
      else
        -- Only a rise is capped (by stock and the per-line limit), and never below the line as it is.
        local target = want
        if target > cur then
          local limit = math.min(maxQty, stock)
          if target > limit then target = math.max(cur, limit) end
        end
        if cur == 0 and target > 0 and lines >= maxLines then
          status = 'rejected'
          target = cur
        elseif target ~= want then
          status = 'capped'
          requested = want
        end
        new = target
      end
    end
    if opId ~= '~' then redis.call('SADD', opsKey, opId) end
  end
  if new ~= cur then
    if new == 0 then
      redis.call('HDEL', cart, qf, 'p:' .. sku, 'o:' .. sku)
      lines = lines - 1
    else
      if cur == 0 then
        lines = lines + 1
        redis.call('HSET', cart, 'o:' .. sku, redis.call('HINCRBY', cart, '_n', 1))
      end
      redis.call('HSET', cart, qf, new)
    end
    local seq = redis.call('INCR', seqKey)
    if seq == 1 then redis.call('SET', epochKey, ARGV[7]) end
    local ev, units = 'added', new - cur
    if new < cur then ev, units = 'removed', cur - new end
    redis.call('RPUSH', evKey, string.format('%d', seq) .. '\\t' .. ev .. '\\t' .. sku .. '\\t' .. pid .. '\\t' .. string.format('%d', units) .. '\\t' .. ARGV[8] .. '\\t' .. now .. '\\t' .. owner)
    changed = true
  end
  if new > 0 and price ~= '~' and (status == 'applied' or status == 'capped') then redis.call('HSET', cart, 'p:' .. sku, price) end
  out[#out + 1] = status
  out[#out + 1] = new
  out[#out + 1] = requested
end
local version = tonumber(redis.call('HGET', cart, '_v'))
-- An accepted item change always takes a version (a set to the same quantity too), so every answer
-- has its own place in the server order; a batch of offline ops only when it changed something.
if changed or mode == 'strict' then
  version = redis.call('HINCRBY', cart, '_v', 1)
  redis.call('HSET', cart, '_u', now, '_l', lines)
end
redis.call('PEXPIRE', cart, ttl)
redis.call('PEXPIRE', opsKey, ttl)
if owner ~= 'g' then redis.call('PEXPIRE', ownerKey, ttl) end
local res = {'OK', version, n}
for _, v in ipairs(out) do res[#res + 1] = v end
for _, v in ipairs(redis.call('HGETALL', cart)) do res[#res + 1] = v end
-- Rebuilt with unpack: the emulation only returns tables built in one constructor as lists.
return {unpack(res)}`;

/** Fields per SKU in MERGE's ARGV. */
export const MERGE_FIELDS = 4;

/**
 * Merge a guest cart into the shopper's and delete the guest cart, atomically. KEYS: guest cart,
 * guest ops set, shopper cart, shopper ops set, owner pointer. ARGV: guest version read by the
 * caller (a change since means 'retry'), owner, ttl, now, max lines, max quantity, sku count, then
 * per guest SKU: sku, stock, unit price, purchasable (1|0). Quantities are summed and capped by
 * stock and the line limit; an existing shopper line is never lowered.
 * Returns { 'OK', version, n, per sku: status, guest qty, previous qty, qty, guest's price, then the hash }.
 */
export const MERGE = `
local g, s = KEYS[1], KEYS[3]
if redis.call('HGET', g, '_o') ~= 'g' then return {'ERR', 'not_found', ''} end
if tonumber(redis.call('HGET', g, '_v')) ~= tonumber(ARGV[1]) then return {'ERR', 'retry', ''} end
if redis.call('HGET', s, '_o') ~= ARGV[2] then return {'ERR', 'retry', ''} end
local ttl, now = ARGV[3], ARGV[4]
local maxLines, maxQty = tonumber(ARGV[5]), tonumber(ARGV[6])
local n = tonumber(ARGV[7])
local lines = tonumber(redis.call('HGET', s, '_l') or '0')
local out = {}
local changed = false
for i = 0, n - 1 do
  local b = 7 + i * ${MERGE_FIELDS}
  local sku, stock, price = ARGV[b + 1], tonumber(ARGV[b + 2]), ARGV[b + 3]
  local ok = ARGV[b + 4] == '1'
  local gq = tonumber(redis.call('HGET', g, 'q:' .. sku) or '0')
  local gp = redis.call('HGET', g, 'p:' .. sku) or '~'
  local cur = tonumber(redis.call('HGET', s, 'q:' .. sku) or '0')
  local status, new = 'summed', cur
  if not ok then
    status = 'product_gone'
  else
    local want = cur + gq
    local target = want
    if target > maxQty then target = maxQty end
    if target > stock then target = stock end
    if target < cur then target = cur end
    if cur == 0 and target > 0 and lines >= maxLines then
      status = 'rejected'
      target = 0
    else
      if cur == 0 then status = 'added' end
      if target < want then status = 'capped' end
    end
    new = target
  end
  if new ~= cur then
    if cur == 0 then
      lines = lines + 1
      redis.call('HSET', s, 'o:' .. sku, redis.call('HINCRBY', s, '_n', 1))
    end
    redis.call('HSET', s, 'q:' .. sku, new)
    changed = true
  end
  if new > 0 and ok and price ~= '~' then redis.call('HSET', s, 'p:' .. sku, price) end
  out[#out + 1] = status
  out[#out + 1] = gq
  out[#out + 1] = cur
  out[#out + 1] = new
  out[#out + 1] = gp
end
redis.call('DEL', g, KEYS[2])
local version = tonumber(redis.call('HGET', s, '_v'))
if changed then
  version = redis.call('HINCRBY', s, '_v', 1)
  redis.call('HSET', s, '_u', now, '_l', lines)
end
redis.call('PEXPIRE', s, ttl)
redis.call('PEXPIRE', KEYS[4], ttl)
redis.call('PEXPIRE', KEYS[5], ttl)
local res = {'OK', version, n}
for _, v in ipairs(out) do res[#res + 1] = v end
for _, v in ipairs(redis.call('HGETALL', s)) do res[#res + 1] = v end
-- Rebuilt with unpack: the emulation only returns tables built in one constructor as lists.
return {unpack(res)}`;

/**
 * Drop staged events the outbox already holds: pop from the head while the sequence number is at
 * most ARGV[1]. KEYS: events list. Returns how many were dropped.
 */
export const TRIM_EVENTS = `
local n = 0
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then break end
  local seq = tonumber(string.match(head, '^(%d+)'))
  if not seq or seq > tonumber(ARGV[1]) then break end
  redis.call('LPOP', KEYS[1])
  n = n + 1
end
return n`;
