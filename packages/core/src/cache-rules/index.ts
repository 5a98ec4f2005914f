export { CACHE_RULES, cacheableTokens, findCacheRule, type CacheRule } from './rules'
export { cacheSavingPico, type CacheSavingRequest } from './cache-saving'
