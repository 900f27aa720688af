// The login page: name and password; wrong password, throttling (429 with the wait) and an ended
// session said plainly, Chinese first.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  function say(kind, zh, en, detail) {
    const box = $('login-message');
    box.replaceChildren();
    const line = document.createElement('p');
    line.append(zh);
    const english = document.createElement('span');
    english.lang = 'en';
    english.className = 'en';
    english.textContent = en;
    line.append(english);
    box.append(line);
    if (detail) {
      const more = document.createElement('p');
      more.lang = 'en';
      more.textContent = detail;
      box.append(more);
    }
    box.className = `message ${kind}`;
    box.hidden = false;
  }

  function nextPage() {
    const wanted = new URLSearchParams(location.search).get('next') || '';
    return /^\/console\/[A-Za-z0-9/_\-.?=&%]*$/.test(wanted) && !wanted.startsWith('//') ? wanted : '/console/orders';
  }

  function init() {
    const query = new URLSearchParams(location.search);
    if (query.get('expired')) say('info', '登录已过期，请重新登录。', 'Your session has ended; please log in again.');
    else if (query.get('logged_out')) say('ok', '您已退出登录。', 'You have logged out.');

    $('login-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = $('name').value.trim();
      const password = $('password').value;
      if (!name || !password) {
        say('error', '请填写用户名和密码。', 'Please enter your name and password.');
        (name ? $('password') : $('name')).focus();
        return;
      }
      const button = $('login-submit');
      button.disabled = true;
      let response = null;
      try {
        response = await fetch('/console/api/login', {
          method: 'POST', credentials: 'same-origin', cache: 'no-store',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ name, password }),
        });
      } catch (error) {
        say('error', '无法连接服务器，请稍后再试。', 'The server cannot be reached; please try again shortly.');
        button.disabled = false;
        return;
      }
      if (response.ok) {
        location.assign(nextPage());
        return;
      }
      button.disabled = false;
      let body = null;
      try { body = await response.json(); } catch (error) { body = null; }
      const detail = body && typeof body.detail === 'string' ? body.detail : null;
      if (response.status === 401) {
        say('error', '用户名或密码错误。', 'Wrong name or password.');
        $('password').value = '';
        $('password').focus();
      } else if (response.status === 429) {
        const wait = Number(response.headers.get('Retry-After')) || 1;
        say('error', `登录失败次数过多，请 ${wait} 秒后再试。`, `Too many failed logins; please try again in ${wait} s.`);
      } else if (response.status === 422) {
        say('error', '请填写用户名（最多 64 个字符）和密码。', 'Please enter a name (at most 64 characters) and a password.', detail);
      } else {
        say('error', '登录未成功，请稍后再试。', `Login did not succeed (${response.status}); please try again.`, detail);
      }
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
