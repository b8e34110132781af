<?php
// One blog post; an unknown id gives 404 through the Status header that php-fpm sends.
$posts = [1 => 'Hello from PHP', 2 => 'Served over FastCGI'];
$id = (int) ($_GET['id'] ?? 0);
if (!isset($posts[$id])) {
    http_response_code(404);
    header('Content-Type: text/plain; charset=utf-8');
    echo "No post with id $id\n";
    return;
}
header('Content-Type: text/html; charset=utf-8');
printf("<!DOCTYPE html>\n<html><body><h1>%s</h1></body></html>\n", htmlspecialchars($posts[$id]));
