import { describe, expect, it } from 'vitest'
import { parseRoute, taskHref } from './route'

describe('parseRoute', () => {
  it('should read /hotspots as the hotspots page', () => {
    expect([parseRoute('/hotspots'), parseRoute('/hotspots/')]).toEqual([
      { page: 'hotspots' },
      { page: 'hotspots' },
    ])
  })

  it('should read /recommendations as the recommendations page', () => {
    expect([parseRoute('/recommendations'), parseRoute('/recommendations/')]).toEqual([
      { page: 'recommendations' },
      { page: 'recommendations' },
    ])
  })

  it('should read the root and index.html as the cost-per-task page', () => {
    expect([parseRoute('/'), parseRoute(''), parseRoute('/index.html')]).toEqual([
      { page: 'costs' },
      { page: 'costs' },
      { page: 'costs' },
    ])
  })

  it('should read a task path, decoded, with or without a trailing slash', () => {
    expect([parseRoute('/tasks/abc'), parseRoute('/tasks/a%2Fb%20c/')]).toEqual([
      { page: 'task', taskId: 'abc' },
      { page: 'task', taskId: 'a/b c' },
    ])
  })

  it('should read the price book path', () => {
    expect([parseRoute('/prices'), parseRoute('/prices/')]).toEqual([
      { page: 'prices' },
      { page: 'prices' },
    ])
  })

  it('does answer not-found for other paths and malformed ids', () => {
    expect([
      parseRoute('/tasks'),
      parseRoute('/tasks/'),
      parseRoute('/tasks/a/b'),
      parseRoute('/tasks/%E0%A4%A'),
      parseRoute('/settings'),
    ]).toEqual([
      { page: 'not-found' },
      { page: 'not-found' },
      { page: 'not-found' },
      { page: 'not-found' },
      { page: 'not-found' },
    ])
  })
})

describe('alerts route', () => {
  it('should read /alerts, with or without a trailing slash, as the alerts page', () => {
    expect([parseRoute('/alerts'), parseRoute('/alerts/'), parseRoute('/alerts/x')]).toEqual([
      { page: 'alerts' },
      { page: 'alerts' },
      { page: 'not-found' },
    ])
  })
})

describe('taskHref', () => {
  it('should encode the id so that parseRoute gives it back', () => {
    const id = 'run/42 #1?x'
    expect(taskHref(id)).toEqual('/tasks/run%2F42%20%231%3Fx')
    expect(parseRoute(taskHref(id))).toEqual({ page: 'task', taskId: id })
  })
})

describe('Explore routes', () => {
  it('should read the overview, showback and regressions pages', () => {
    expect([parseRoute('/overview'), parseRoute('/showback/'), parseRoute('/regressions')]).toEqual(
      [{ page: 'overview' }, { page: 'showback' }, { page: 'regressions' }],
    )
  })
})
