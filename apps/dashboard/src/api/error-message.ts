import { ApiError } from './client'
import { ResponseShapeError } from './decode'

/** The sentence a panel shows for a failed load; never a stack trace, never a request body. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return `${error.message}. Check that it is running, then retry.`
    return error.message
  }
  if (error instanceof ResponseShapeError) return error.message
  return 'Something went wrong while loading this panel.'
}
