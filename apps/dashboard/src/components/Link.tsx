import type { AnchorHTMLAttributes, MouseEvent } from 'react'
import { navigate } from '../routing/navigation'

/** Props of `Link`: an anchor whose `href` is a path of the dashboard. */
export type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }

/**
 * A real `<a href>` (keyboard reachable, opens in a new tab with a modifier key) that moves
 * inside the app without a reload on a plain click.
 */
export function Link({ href, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey
    if (event.defaultPrevented || event.button !== 0 || modified || rest.target) return
    event.preventDefault()
    navigate(href)
  }

  return <a href={href} onClick={handleClick} {...rest} />
}
