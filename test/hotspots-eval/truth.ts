export type HotspotCauseName =
  | 'duplicate_llm_call'
  | 'repeated_tool_call'
  | 'missed_prompt_cache'
  | 'near_duplicate_prompt'
  | 'loop'
